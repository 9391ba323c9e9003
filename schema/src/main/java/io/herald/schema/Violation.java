package io.herald.schema;

import java.util.regex.Pattern;

/**
 * One broken rule of a command. Its pointer and message are printable text, whatever the command held: a control
 * character (a NUL, a line break) or a lone surrogate of a field's name or value is {@code ?} in them, so that they
 * can be stored, logged and sent as a header as they are.
 *
 * @param pointer the JSON pointer of the field ({@code ""} for the whole command), or {@value RecordKeys#POINTER} for
 *     the record's key
 * @param rule    a short stable name of the rule, e.g. {@code required}, {@code token}, {@code max-length}
 * @param message what is wrong, in words, naming the field
 */
public record Violation(String pointer, String rule, String message) {
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cs}]");

    public Violation {
        pointer = printable(pointer);
        message = printable(message);
    }

    private static String printable(String text) {
        return text == null ? null : UNPRINTABLE.matcher(text).replaceAll("?");
    }

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(command)" : pointer) + ": " + message;
    }
}
