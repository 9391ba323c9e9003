package io.herald.command.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One publication of a message on one social account.
 *
 * @param flag the publication's {@code status.flag}; {@code success} when the answer gives no status
 * @param code the publication's {@code status.code}, or null
 */
public record Publication(
        String provider,
        String userToken,
        String identityToken,
        Instant datePublication,
        String flag,
        Integer code,
        String message,
        List<ShortUrl> shortUrls) {
    public Publication {
        shortUrls = List.copyOf(shortUrls);
    }

    public boolean succeeded() {
        return "success".equals(flag);
    }

    /** Whether it is a publication for this user (and provider) or this identity. */
    public boolean isFor(String userOrIdentityToken) {
        return userOrIdentityToken != null
                && (userOrIdentityToken.equals(userToken) || userOrIdentityToken.equals(identityToken));
    }

    /**
     * What tells this publication apart from the message's others, so that recording it again (a re-publish that
     * answers with the whole message) changes nothing: provider, target, date and status.
     */
    public String key() {
        return String.join(
                        "|",
                        provider,
                        nullToEmpty(userToken),
                        nullToEmpty(identityToken),
                        datePublication == null ? "" : Long.toString(datePublication.getEpochSecond()),
                        nullToEmpty(flag),
                        code == null ? "" : code.toString())
                .toLowerCase(Locale.ROOT);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
