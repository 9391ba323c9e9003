package io.herald.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Markup that text cannot turn into markup: every string given to it is text, escaped when rendered; markup comes
 * only from elements whose names and attribute names are checked words of this code. A command's text, a OneAll
 * answer or a routing key can therefore only ever render as text, whatever it holds. URL attributes take only
 * relative, {@code http} and {@code https} addresses, so a link built from data cannot run script either.
 */
interface Html {
    Html EMPTY = join();

    void renderTo(StringBuilder out);

    default String render() {
        var out = new StringBuilder(4096);
        renderTo(out);
        return out.toString();
    }

    /** A value as text; null renders as nothing. */
    static Html text(Object value) {
        return new Text(value == null ? "" : value.toString());
    }

    static Html join(Html... parts) {
        return new Fragment(Arrays.asList(parts));
    }

    static Html join(List<? extends Html> parts) {
        return new Fragment(new ArrayList<>(parts));
    }

    /** An element named by this code (never by data). */
    static Element el(String name) {
        return new Element(checkedName(name));
    }

    /** A whole document: the doctype, then {@code root}. */
    static String document(Html root) {
        var out = new StringBuilder(16_384).append("<!doctype html>\n");
        root.renderTo(out);
        return out.toString();
    }

    static String escape(String text) {
        var out = new StringBuilder(text.length() + 16);
        escapeTo(out, text);
        return out.toString();
    }

    private static void escapeTo(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }

    /** Whether a URL from data may be a link's target: relative to the console, or http(s). */
    static boolean safeUrl(String url) {
        if (url == null) {
            return false;
        }
        var lower = url.trim().toLowerCase(java.util.Locale.ROOT);
        return (lower.startsWith("/") && !lower.startsWith("//"))
                || lower.startsWith("?")
                || lower.startsWith("#")
                || lower.startsWith("https://")
                || lower.startsWith("http://");
    }

    private static String checkedName(String name) {
        if (!Element.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an element or attribute name: " + name);
        }
        return name;
    }

    /** Text, escaped when rendered. */
    final class Text implements Html {
        private final String text;

        private Text(String text) {
            this.text = text;
        }

        @Override
        public void renderTo(StringBuilder out) {
            escapeTo(out, text);
        }
    }

    /** Parts, one after the other. */
    final class Fragment implements Html {
        private final List<Html> parts;

        private Fragment(List<Html> parts) {
            this.parts = parts;
        }

        @Override
        public void renderTo(StringBuilder out) {
            parts.forEach(part -> part.renderTo(out));
        }
    }

    /** An element being built: attributes, then children. */
    final class Element implements Html {
        private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]*");
        private static final List<String> VOID =
                List.of("area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr");
        private static final List<String> URL_ATTRIBUTES = List.of("href", "src", "action", "formaction");

        private final String name;
        private final List<String[]> attributes = new ArrayList<>();
        private final List<Html> children = new ArrayList<>();

        private Element(String name) {
            this.name = name;
        }

        /** An attribute; a null value leaves it out; an unsafe URL becomes {@code #}. */
        Element attr(String attribute, Object value) {
            if (value != null) {
                var text = value.toString();
                if (URL_ATTRIBUTES.contains(attribute) && !safeUrl(text)) {
                    text = "#";
                }
                attributes.add(new String[] {checkedName(attribute), text});
            }
            return this;
        }

        /** A boolean attribute, present when {@code on}. */
        Element flag(String attribute, boolean on) {
            if (on) {
                attributes.add(new String[] {checkedName(attribute), null});
            }
            return this;
        }

        Element cls(String classes) {
            return attr("class", classes);
        }

        Element with(Html... more) {
            children.addAll(Arrays.asList(more));
            return this;
        }

        Element with(List<? extends Html> more) {
            children.addAll(more);
            return this;
        }

        Element text(Object value) {
            return with(Html.text(value));
        }

        @Override
        public void renderTo(StringBuilder out) {
            out.append('<').append(name);
            for (var attribute : attributes) {
                out.append(' ').append(attribute[0]);
                if (attribute[1] != null) {
                    out.append("=\"");
                    escapeTo(out, attribute[1]);
                    out.append('"');
                }
            }
            out.append('>');
            if (VOID.contains(name)) {
                return;
            }
            children.forEach(child -> child.renderTo(out));
            out.append("</").append(name).append('>');
        }
    }
}
