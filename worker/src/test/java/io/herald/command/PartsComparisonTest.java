package io.herald.command;

import static io.herald.command.PartsComparison.Likeness.DIFFERENT;
import static io.herald.command.PartsComparison.Likeness.MAYBE;
import static io.herald.command.PartsComparison.Likeness.SAME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.PartsComparison.Likeness;
import io.herald.command.api.Sanitizer;
import io.herald.command.api.ShortUrl;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a message read back compares with the one a lost publish sent. A message that a cut, an escape or OneAll's
 * tracking could have made of the sent parts must never be DIFFERENT (that would let a read-back conclude "no effect"
 * and send the publish again); a message with other words or another link must be, or every read-back would end
 * unknown.
 */
class PartsComparisonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LONG = "Herald's long announcement, sentence after sentence. ".repeat(60);
    private static final ShortUrl SHORT =
            new ShortUrl("NoFSx", "https://example.com/article", "http://oal.lu/NoFSx", null, null, 0);

    private static ObjectNode text(String body) {
        var parts = MAPPER.createObjectNode();
        parts.putObject("text").put("body", body);
        return parts;
    }

    private static ObjectNode tracked(String body) {
        var parts = text(body);
        parts.putObject("flags").put("enable_tracking", 1);
        return parts;
    }

    private static ObjectNode withLink(ObjectNode parts, String url) {
        parts.putObject("link").put("url", url);
        return parts;
    }

    private static Arguments row(
            String guarantee, JsonNode sent, JsonNode shown, List<ShortUrl> shortUrls, Likeness expected) {
        return Arguments.of(guarantee, sent, shown, shortUrls, expected);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("the same text is the same message", text("Hi all"), text("Hi all"), List.of(), SAME),
                row(
                        "a text of 3,000 characters shown whole is the same message",
                        text(LONG),
                        text(LONG),
                        List.of(),
                        SAME),
                row(
                        "a long text cut at 2,000 characters by Herald's sanitiser may be the message, never another",
                        text(LONG),
                        text(Sanitizer.clean(LONG)),
                        List.of(),
                        MAYBE),
                row(
                        "a long text cut by OneAll with an ellipsis may be the message",
                        text(LONG),
                        text(LONG.substring(0, 1_000) + "\u2026"),
                        List.of(),
                        MAYBE),
                row(
                        "a long text cut with three dots may be the message",
                        text(LONG),
                        text(LONG.substring(0, 500) + "..."),
                        List.of(),
                        MAYBE),
                row(
                        "HTML entities OneAll escaped are the same text",
                        text("Tom & Jerry <3 \"quotes\" it's"),
                        text("Tom &amp; Jerry &lt;3 &quot;quotes&quot; it&#39;s"),
                        List.of(),
                        SAME),
                row(
                        "folded whitespace, line ends and trimming are the same text",
                        text("  Line one\r\n\r\nLine  two\t"),
                        text("Line one\n\nLine two"),
                        List.of(),
                        SAME),
                row(
                        "decomposed accents are the same text",
                        text("Caf\u00e9 d\u00e9j\u00e0"),
                        text("Cafe\u0301 de\u0301ja\u0300"),
                        List.of(),
                        SAME),
                row(
                        "a link replaced by a short URL the publication lists is the same text",
                        text("Read https://example.com/article now"),
                        text("Read http://oal.lu/NoFSx now"),
                        List.of(SHORT),
                        SAME),
                row(
                        "with tracking on, a link replaced by a short URL not listed may be the message",
                        tracked("Read https://example.com/article now"),
                        tracked("Read http://oal.lu/Zz9 now"),
                        List.of(),
                        MAYBE),
                row(
                        "without tracking, a text with another link is another message",
                        text("Read https://example.com/article now"),
                        text("Read https://example.com/other now"),
                        List.of(),
                        DIFFERENT),
                row("other words are another message", text("Hi all"), text("Bye all"), List.of(), DIFFERENT),
                row(
                        "a longer text than the one sent is another message",
                        text("Hi"),
                        text("Hi all, and more"),
                        List.of(),
                        DIFFERENT),
                row(
                        "an empty text shown for a text sent is another message",
                        text("Hi all"),
                        text(""),
                        List.of(),
                        DIFFERENT),
                row(
                        "the same text with another link part is another message",
                        withLink(text("New post"), "https://example.com/a"),
                        withLink(text("New post"), "https://example.com/b"),
                        List.of(),
                        DIFFERENT),
                row(
                        "a link part differing in host case and a trailing slash is the same",
                        withLink(text("New post"), "HTTPS://Example.com/a"),
                        withLink(text("New post"), "https://example.com/a/"),
                        List.of(),
                        SAME),
                row(
                        "a link part shown as its short URL is the same",
                        withLink(text("New post"), "https://example.com/article"),
                        withLink(text("New post"), "http://oal.lu/NoFSx"),
                        List.of(SHORT),
                        SAME),
                row(
                        "a link part shown as a short URL not listed, with tracking on, may be the message",
                        withLink(tracked("New post"), "https://example.com/article"),
                        withLink(tracked("New post"), "http://oal.lu/Zz9"),
                        List.of(),
                        MAYBE),
                row("a read that shows no parts may be the message", text("Hi all"), null, List.of(), MAYBE),
                row(
                        "a link part missing from what is shown is another message",
                        withLink(text("New post"), "https://example.com/a"),
                        text("New post"),
                        List.of(),
                        DIFFERENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void compares(String guarantee, JsonNode sent, JsonNode shown, List<ShortUrl> shortUrls, Likeness expected) {
        assertThat(PartsComparison.compare(sent, shown, shortUrls)).isEqualTo(expected);
    }
}
