package io.herald.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Markdown file links to, line by line, as GitHub renders it: inline links and images, reference definitions,
 * autolinks and bare URLs. Fenced code blocks and code spans hold no links. Also the anchors its headings make.
 */
final class MarkdownLinks {
    /** A link's target, as written, and the line (from 1) it is on. */
    record Link(int line, String target) {}

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```+|~~~+)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?!`).*?(?<!`)\\1(?!`)");
    private static final Pattern INLINE =
            Pattern.compile("\\]\\(\\s*(<[^>]*>|[^)\\s]*)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern AUTOLINK = Pattern.compile("<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\\s]*)>");
    private static final Pattern BARE = Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>()\\[\\]`'\"]+");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s[^>]*(?:name|id)=\"([^\"]+)\"");

    private MarkdownLinks() {}

    static List<Link> links(List<String> lines) {
        var links = new ArrayList<Link>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i);
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            var text = new StringBuilder(CODE_SPAN
                    .matcher(line)
                    .replaceAll(match -> " ".repeat(match.group().length())));
            for (var pattern : List.of(INLINE, REFERENCE, AUTOLINK)) {
                take(pattern, text, i + 1, links);
            }
            var bare = BARE.matcher(text);
            while (bare.find()) {
                var url = bare.group().replaceAll("[.,;:!?*_]+$", "");
                links.add(new Link(i + 1, url.regionMatches(true, 0, "www.", 0, 4) ? "http://" + url : url));
            }
        }
        return links;
    }

    /** The pattern's targets, blanked out of the text so that the bare URL scan does not see them again. */
    private static void take(Pattern pattern, StringBuilder text, int line, List<Link> links) {
        Matcher matcher = pattern.matcher(text);
        var found = new ArrayList<int[]>();
        while (matcher.find()) {
            var target = matcher.group(1);
            links.add(new Link(
                    line,
                    target.startsWith("<") && target.endsWith(">")
                            ? target.substring(1, target.length() - 1)
                            : target));
            found.add(new int[] {matcher.start(), matcher.end()});
        }
        for (var span : found) {
            text.replace(span[0], span[1], " ".repeat(span[1] - span[0]));
        }
    }

    /** The anchors the file's headings make, as GitHub makes them (a repeated heading gets -1, -2, ...), and HTML anchors. */
    static Set<String> anchors(List<String> lines) {
        var anchors = new HashSet<String>();
        var seen = new HashMap<String, Integer>();
        boolean fenced = false;
        for (var line : lines) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            var heading = HEADING.matcher(line);
            if (heading.matches()) {
                var slug = slug(heading.group(1));
                int times = seen.merge(slug, 1, Integer::sum);
                anchors.add(times == 1 ? slug : slug + "-" + (times - 1));
            }
            var html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1));
            }
        }
        return anchors;
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
    static String slug(String heading) {
        var text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                .replaceAll("<[^>]+>", "")
                .toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
    }
}
