package io.herald.command;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A command's status in the {@code commands} table (docs/reporting.md); the migration's CHECK lists the same words. */
public enum CommandStatus {
    /** Not sent yet: on its way, waiting for a retry, behind its account's waiting command, or scheduled. */
    PENDING("pending"),
    /** Claimed for a call to OneAll: the call is being made, or was lost with its worker. */
    IN_FLIGHT("in_flight"),
    SUCCEEDED("succeeded"),
    /** Published to some of its providers and not to the others, for good. */
    PARTIAL("partial"),
    DEAD_LETTERED("dead_lettered"),
    CANCELLED("cancelled");

    /** The statuses a command does not leave (but for a replay of its dead letter). */
    public static final Set<CommandStatus> ENDED = EnumSet.of(SUCCEEDED, PARTIAL, DEAD_LETTERED, CANCELLED);

    private final String wireName;

    CommandStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether {@code wireName} (as read from the ledger or a report; may be null) names this status. */
    public boolean is(String wireName) {
        return this.wireName.equals(wireName);
    }

    public boolean ended() {
        return ENDED.contains(this);
    }

    public static CommandStatus fromWireName(String name) {
        for (var status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown command status '" + name + "'");
    }

    /** The statuses as an SQL list, e.g. {@code ('succeeded', 'partial')}, for statements that name them. */
    public static String sqlList(Set<CommandStatus> statuses) {
        return statuses.stream().map(status -> "'" + status.wireName + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
