package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.command.CommandStatus;
import io.herald.config.HeraldConfig;
import io.herald.store.CommandRecords;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald status COMMAND_ID}: the command's record and attempts. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a command's record and attempts.")
final class StatusCommand implements Callable<Integer> {
    @Parameters(paramLabel = "COMMAND_ID")
    String commandId;

    @Option(names = "--json", description = "print the record as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        java.util.Optional<com.fasterxml.jackson.databind.node.ObjectNode> found;
        try (var database = Connections.database(HeraldConfig.fromEnvironment())) {
            found = CommandRecords.find(database, commandId);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no command " + commandId + " is recorded");
        }
        var record = found.get();
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(record));
            return 0;
        }
        var out = System.out;
        printRecord(out, record);
        printHistory(out, record);
        return 0;
    }

    /** The command's row: what it is, where it stands, where it came from. */
    private static void printRecord(PrintStream out, JsonNode record) {
        out.printf("command    %s (%s)%n", text(record, "command_id"), text(record, "type"));
        out.printf(
                "status     %s after %s attempt(s)%s%n",
                text(record, "status"), text(record, "attempts"), waiting(record));
        if (!record.path("last_error").isNull()) {
            out.printf("last error %s: %s%n", text(record, "last_error_class"), text(record, "last_error"));
        }
        if (!record.path("campaign_id").isNull()) {
            out.printf("campaign   %s%n", text(record, "campaign_id"));
        }
        out.printf(
                "key        %s (%s-%s@%s)%n",
                text(record, "routing_key"),
                text(record, "source_topic"),
                text(record, "source_partition"),
                text(record, "source_offset"));
        out.printf("created    %s, updated %s%n", text(record, "created_at"), text(record, "updated_at"));
    }

    /** What happened to it: its attempts, its publications, its push result, its dead letters. */
    private static void printHistory(PrintStream out, JsonNode record) {
        for (var attempt : record.path("attempt_history")) {
            out.printf(
                    "  attempt %s at %s: %s ms, HTTP %s %s%s%n",
                    text(attempt, "attempt"),
                    text(attempt, "started_at"),
                    text(attempt, "duration_ms"),
                    text(attempt, "http_status"),
                    text(attempt, "oneall_info"),
                    attempt.path("error").isNull() || attempt.path("error").isMissingNode()
                            ? ""
                            : " [" + text(attempt, "error_class") + ": " + text(attempt, "error") + "]");
        }
        for (var publication : record.path("publications")) {
            out.printf(
                    "  published on %s (%s) in message %s: %s, %s referral(s)%n",
                    text(publication, "provider"),
                    text(publication, "identity_token"),
                    text(publication, "sharing_message_token"),
                    text(publication, "status_flag"),
                    text(publication, "referrals"));
        }
        var push = record.path("push_result");
        if (!push.isNull() && !push.isMissingNode()) {
            out.printf(
                    "  pushed %s %s: %s%n", text(push, "provider"), text(push, "object"), text(push, "post_location"));
        }
        for (var letter : record.path("dead_letters")) {
            out.printf(
                    "  dead letter %s at %s: %s: %s%n",
                    text(letter, "id"), text(letter, "failed_at"), text(letter, "error_class"), text(letter, "error"));
        }
    }

    /** A pending command that waits in the ledger: scheduled, or waiting for its retry or its account. */
    private static String waiting(JsonNode record) {
        if (!CommandStatus.PENDING.is(record.path("status").asText())
                || record.path("waiting_until").isMissingNode()) {
            return "";
        }
        if (record.path("scheduled").asBoolean(false)) {
            return " (scheduled for " + text(record, "waiting_until") + ")";
        }
        return record.path("waiting_until").isNull()
                ? " (waiting behind an earlier command of its account)"
                : " (waiting until " + text(record, "waiting_until") + ")";
    }

    /** A field for people: {@code -} when absent or null. */
    static String text(JsonNode node, String field) {
        var value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "-" : value.isTextual() ? value.asText() : value.toString();
    }
}
