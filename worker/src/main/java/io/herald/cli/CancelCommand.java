package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.config.HeraldConfig;
import io.herald.store.Cancellations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald cancel COMMAND_ID}: a command that has not been sent ends {@code cancelled}, with an outcome event;
 * one in flight or ended is refused (exit 1), since a call under way cannot be taken back.
 */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancels a command that has not been sent yet.",
            "One that waits (scheduled by not_before, for a retry, behind its account or its identity) or is still on the"
                    + " commands topic ends 'cancelled' with an outcome event and is never sent.",
            "A command in flight or ended is not cancelled (exit 1). Needs HERALD_DATABASE_URL."
        })
final class CancelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "COMMAND_ID", description = "the command_id of the command to cancel")
    String commandId;

    @Option(
            names = "--by",
            paramLabel = "NAME",
            description = "who cancels, recorded as the command's last error (default: the user name)")
    String by = System.getProperty("user.name", "herald");

    @Option(names = "--json", description = "print the result as one JSON object (a refusal too, still exit 1)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var config = HeraldConfig.fromEnvironment();
        Cancellations.Result result;
        try (var database = Connections.database(config)) {
            result = new Cancellations(database, config.kafka().outcomesTopic()).cancel(commandId, by);
        }
        if (json) {
            var node = new ObjectMapper().createObjectNode().put("command_id", commandId);
            System.out.println(
                    result instanceof Cancellations.Result.Refused refused
                            ? node.put("cancelled", false)
                                    .put("status", refused.status())
                                    .put("reason", refused.why())
                            : node.put("cancelled", true).put("was", ((Cancellations.Result.Cancelled) result).was()));
        }
        if (result instanceof Cancellations.Result.Refused refused) {
            throw new IllegalStateException("command " + commandId + " is not cancelled: " + refused.why());
        }
        if (!json) {
            System.out.println(
                    "command " + commandId + " cancelled; it was " + ((Cancellations.Result.Cancelled) result).was());
        }
        return ExitCodes.OK;
    }
}
