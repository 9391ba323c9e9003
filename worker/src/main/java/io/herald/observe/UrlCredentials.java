package io.herald.observe;

import java.util.regex.Pattern;

/**
 * A URL as Herald shows it (the start-up log, an error naming a setting or a server, dev mode's banner): the password
 * of its user information and of its {@code password=} parameters masked, so that {@code
 * https://user:pass@site.api.oneall.com} is shown as {@code https://user:****@site.api.oneall.com} and {@code
 * jdbc:postgresql://db/herald?password=pass} as {@code jdbc:postgresql://db/herald?password=****}. User information
 * without a colon may be a token by itself, and is masked whole.
 */
public final class UrlCredentials {
    /** The user information of an authority: everything up to its last {@code @} before the path, query or fragment. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/?#\\s]*)@");

    /** {@code password=}, {@code sslpassword=} and the like, up to the next parameter. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&#]*");

    private UrlCredentials() {}

    /** {@code url} with its credentials masked; null stays null. */
    public static String masked(String url) {
        if (url == null) {
            return null;
        }
        var userInfo = USER_INFO.matcher(url);
        var shown = userInfo.find()
                ? url.substring(0, userInfo.start(1))
                        + maskedUserInfo(userInfo.group(1))
                        + url.substring(userInfo.end(1))
                : url;
        return PASSWORD_PARAMETER.matcher(shown).replaceAll("$1****");
    }

    private static String maskedUserInfo(String userInfo) {
        int colon = userInfo.indexOf(':');
        return colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
    }
}
