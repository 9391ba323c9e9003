package io.herald.schema;

/** Herald's topics (contract §1): the defaults; each is configurable. */
public final class Topics {
    public static final String COMMANDS = "herald.commands";
    public static final String DEAD_LETTERS = "herald.commands.dlt";
    public static final String OUTCOMES = "herald.outcomes";

    private Topics() {}
}
