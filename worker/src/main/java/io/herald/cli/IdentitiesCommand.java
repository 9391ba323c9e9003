package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.config.HeraldConfig;
import io.herald.store.IdentityHolds;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald identities}: the identities held because OneAll refused their credentials (401 or 403 while the site's
 * keys were good), with their waiting commands; {@code --resume TOKEN} releases one once its owner reconnected it.
 */
@Command(
        name = "identities",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the identities held for their credentials, or resumes one (--resume).",
            "An identity is held when OneAll refuses its credentials (401 or 403) while the site's keys are good; the list"
                    + " shows why, and how many of its commands wait.",
            "Their commands wait (neither sent nor dead-lettered) until --resume releases the identity, or until"
                    + " HERALD_IDENTITY_HOLD_S passes and they are dead-lettered as 'credentials'. Needs HERALD_DATABASE_URL."
        })
final class IdentitiesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print the held identities (or what --resume did) as one JSON object")
    boolean json;

    @Option(
            names = "--resume",
            paramLabel = "TOKEN",
            description = "release the held identity (routing key) TOKEN: its waiting commands"
                    + " are sent again, in order, within seconds")
    String resume;

    @Option(
            names = "--by",
            paramLabel = "NAME",
            description = "who resumes, recorded with the hold (default: the user name)")
    String by = System.getProperty("user.name", "herald");

    @Override
    public Integer call() throws Exception {
        try (var database = Connections.database(HeraldConfig.fromEnvironment())) {
            var holds = new IdentityHolds(database);
            if (resume != null) {
                return resume(holds);
            }
            var held = holds.held();
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(toJson(held)));
                return ExitCodes.OK;
            }
            System.out.printf(Locale.ROOT, "%d identit%s held%n", held.size(), held.size() == 1 ? "y" : "ies");
            for (var hold : held) {
                System.out.printf(
                        Locale.ROOT,
                        "  %s  %d command(s) waiting  held since %s until %s  (%s%s)%n",
                        hold.routingKey(),
                        hold.waiting(),
                        hold.heldAt(),
                        hold.expiresAt(),
                        hold.httpStatus() == null ? "" : "HTTP " + hold.httpStatus() + ": ",
                        hold.reason());
            }
            return ExitCodes.OK;
        }
    }

    private int resume(IdentityHolds holds) throws Exception {
        if (!holds.resume(resume, by)) {
            throw new IllegalStateException("identity " + resume + " is not held");
        }
        System.out.println(
                json
                        ? new ObjectMapper()
                                .createObjectNode()
                                .put("routing_key", resume)
                                .put("resumed", true)
                                .toString()
                        : "identity " + resume + " resumed; its waiting commands are sent again within seconds");
        return ExitCodes.OK;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode toJson(java.util.List<IdentityHolds.Hold> held) {
        var node = new ObjectMapper().createObjectNode();
        var list = node.putArray("identities");
        for (var hold : held) {
            var entry = list.addObject()
                    .put("routing_key", hold.routingKey())
                    .put("command_id", hold.commandId())
                    .put("reason", hold.reason())
                    .put("held_at", hold.heldAt().toString())
                    .put("expires_at", hold.expiresAt().toString())
                    .put("waiting", hold.waiting());
            if (hold.httpStatus() != null) {
                entry.put("http_status", hold.httpStatus());
            }
        }
        return node;
    }
}
