package io.herald.schema;

/**
 * One broken rule of a command.
 *
 * @param pointer the JSON pointer of the field ({@code ""} for the whole command)
 * @param rule    a short stable name of the rule, e.g. {@code required}, {@code token}, {@code max-length}
 * @param message what is wrong, in words, naming the field
 */
public record Violation(String pointer, String rule, String message) {
    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(command)" : pointer) + ": " + message;
    }
}
