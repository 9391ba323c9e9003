package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What the ledger records of the other commands that a lost publish's read-back could take for its own
 * (docs/processing.md, "Unknown outcomes and reading back"), read after OneAll was: a message the ledger records as
 * another command's effect is never taken, and a match that another publish to the same target may have made without
 * the ledger knowing it is never taken either.
 *
 * @param owners    the messages read back that the ledger records as another command's effect: token to command id
 * @param unsettled the other publishes to the command's target whose message the ledger does not know: in flight, with
 *                  a call of unknown outcome, or ended without their message recorded
 */
public record OtherCommands(Map<String, String> owners, List<Unsettled> unsettled) {
    /** Nothing recorded of other commands: the ledger holds none that touch the read-back. */
    public static final OtherCommands NONE = new OtherCommands(Map.of(), List.of());

    public OtherCommands {
        owners = Map.copyOf(owners);
        unsettled = List.copyOf(unsettled);
    }

    /**
     * Another publish to the target that may have made a message without the ledger recording which.
     *
     * @param parts its message's parts, as the ledger keeps its body (its parked record or its dead letter), or null when
     *              the ledger keeps none (a command in flight): then it may have made any message
     */
    public record Unsettled(String commandId, JsonNode parts) {}
}
