package io.herald.schema;

/** Herald's topics, as docs/commands.md names them: the defaults; each is configurable. */
public final class Topics {
    public static final String COMMANDS = "herald.commands";
    public static final String DEAD_LETTERS = "herald.commands.dlt";
    public static final String OUTCOMES = "herald.outcomes";

    private Topics() {}
}
