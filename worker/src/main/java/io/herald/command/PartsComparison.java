package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.api.ShortUrl;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a message read back from OneAll is the one a lost publish sent, judged by what neither Herald nor OneAll can
 * plausibly have changed. What a message shows may differ from what was sent without being another message: Herald's
 * sanitiser cuts long strings (the comparison is given the parts as OneAll sent them, but must not count on it),
 * OneAll may escape HTML, fold whitespace or line ends, cut a long text, or, with tracking on, put its short URLs in
 * place of the links. Such a message is {@link Likeness#MAYBE}: never proof that the publish had no effect.
 */
final class PartsComparison {
    /** How a message read back compares with the one sent. */
    enum Likeness {
        /** The same parts, up to escaping and whitespace. */
        SAME,
        /** Parts that a cut or OneAll's tracking could have made of the ones sent: it may be the same message. */
        MAYBE,
        /** Parts that cannot have been made of the ones sent. */
        DIFFERENT
    }

    private static final List<String> URLS = List.of("/link/url", "/picture/url", "/video/url");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});");
    private static final Pattern LINK = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+");
    private static final Pattern SPACE = Pattern.compile("[\\s\\u00A0\\u2000-\\u200B\\u2028\\u2029\\u202F\\u3000]+");

    private PartsComparison() {}

    /**
     * @param sent      the parts the publish sent
     * @param shown     the parts OneAll shows (null when the read does not show them)
     * @param shortUrls the short URLs of the message's publications, whose originals stand for them
     */
    static Likeness compare(JsonNode sent, JsonNode shown, List<ShortUrl> shortUrls) {
        if (shown == null || !shown.isObject()) {
            return Likeness.MAYBE;
        }
        boolean tracked = isTracked(sent);
        var likeness = text(value(sent, "/text/body"), value(shown, "/text/body"), shortUrls, tracked);
        for (var pointer : URLS) {
            var url = url(value(sent, pointer), value(shown, pointer), shortUrls, tracked);
            if (url.ordinal() > likeness.ordinal()) {
                likeness = url;
            }
        }
        return likeness;
    }

    static Likeness text(String sent, String shown, List<ShortUrl> shortUrls, boolean tracked) {
        if (sent == null || shown == null) {
            return sent == null && shown == null ? Likeness.SAME : Likeness.DIFFERENT;
        }
        var asSent = normalised(sent);
        var asShown = normalised(originals(shown, shortUrls));
        if (asSent.equals(asShown)) {
            return Likeness.SAME;
        }
        if (isCut(asSent, asShown)) {
            return Likeness.MAYBE;
        }
        if (tracked && masked(asSent).equals(masked(asShown))) {
            return Likeness.MAYBE;
        }
        return Likeness.DIFFERENT;
    }

    static Likeness url(String sent, String shown, List<ShortUrl> shortUrls, boolean tracked) {
        if (sent == null || shown == null) {
            return sent == null && shown == null ? Likeness.SAME : Likeness.DIFFERENT;
        }
        var asSent = normalisedUrl(sent);
        var asShown = normalisedUrl(shown);
        if (asSent.equals(asShown)) {
            return Likeness.SAME;
        }
        for (var shortUrl : shortUrls) {
            if (shortUrl.shortUrl() != null
                    && shortUrl.originalUrl() != null
                    && normalisedUrl(shortUrl.shortUrl()).equals(asShown)
                    && normalisedUrl(shortUrl.originalUrl()).equals(asSent)) {
                return Likeness.SAME;
            }
        }
        return tracked || isCut(asSent, asShown) ? Likeness.MAYBE : Likeness.DIFFERENT;
    }

    /** Whether {@code shown} is {@code sent} cut short, perhaps with an ellipsis put where it was cut. */
    private static boolean isCut(String sent, String shown) {
        var head = shown;
        if (head.endsWith("\u2026")) {
            head = head.substring(0, head.length() - 1).stripTrailing();
        } else if (head.endsWith("...")) {
            head = head.substring(0, head.length() - 3).stripTrailing();
        }
        return !head.isEmpty() && head.length() < sent.length() && sent.startsWith(head);
    }

    /** The text as a reader sees it: entities decoded, one space for any run of white space, composed characters. */
    static String normalised(String text) {
        var plain = Normalizer.normalize(unescaped(text.replace("\u0000", "")), Normalizer.Form.NFC);
        return SPACE.matcher(plain).replaceAll(" ").strip();
    }

    private static String normalisedUrl(String url) {
        var plain = normalised(url);
        var schemeAndHost =
                Pattern.compile("^(?i)([a-z][a-z0-9+.-]*://[^/?#]*)").matcher(plain);
        if (schemeAndHost.find()) {
            plain = schemeAndHost.group(1).toLowerCase(Locale.ROOT) + plain.substring(schemeAndHost.end());
        }
        return plain.endsWith("/") ? plain.substring(0, plain.length() - 1) : plain;
    }

    /** The text with each short URL of the message put back as its original. */
    private static String originals(String text, List<ShortUrl> shortUrls) {
        var result = text;
        for (var shortUrl : shortUrls) {
            if (shortUrl.shortUrl() != null && !shortUrl.shortUrl().isBlank() && shortUrl.originalUrl() != null) {
                result = result.replace(shortUrl.shortUrl(), shortUrl.originalUrl());
            }
        }
        return result;
    }

    private static String masked(String text) {
        return LINK.matcher(text).replaceAll("<link>");
    }

    private static String unescaped(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        var matcher = ENTITY.matcher(text);
        var result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(entity(matcher.group(1), matcher.group())));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String entity(String name, String whole) {
        if (name.startsWith("#")) {
            boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
            int code = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
            return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : whole;
        }
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> "\u00A0";
            default -> whole;
        };
    }

    private static boolean isTracked(JsonNode sent) {
        var flag = sent == null ? null : sent.at("/flags/enable_tracking");
        if (flag == null || flag.isMissingNode() || flag.isNull()) {
            return false;
        }
        var text = flag.asText().trim();
        return !(text.isEmpty() || text.equals("0") || text.equalsIgnoreCase("false"));
    }

    private static String value(JsonNode parts, String pointer) {
        var node = parts == null ? null : parts.at(pointer);
        return node == null || node.isMissingNode() || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
