package io.herald.schema;

import java.util.Optional;

/** The command types of docs/commands.md, by their wire names. */
public enum CommandType {
    PUBLISH("publish"),
    REPUBLISH("republish"),
    PUSH("push"),
    DELETE("delete"),
    REFRESH("refresh"),
    CAMPAIGN("campaign");

    private final String wireName;

    CommandType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CommandType> fromWireName(String name) {
        for (var type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
