package io.herald.cli;

import io.herald.config.HeraldConfig;
import io.herald.route.DeadLetterTopic;
import io.herald.route.Replay;
import io.herald.route.TopicReplay;
import io.herald.store.DeadLetterStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald replay}: re-enqueues dead letters with their original key and value after the cause
 * was fixed. A command that already succeeded is not sent again (it is skipped here, and the ledger
 * would acknowledge it anyway); a dead letter already replayed is skipped unless {@code --again}.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Re-enqueues dead letters (from the dead_letters table, or the dead-letter topic with --from-topic) with their"
                    + " original key and value.",
            "Replayed commands get a fresh budget of attempts; one that already succeeded is not sent again.",
            "unknown-outcome dead letters (calls OneAll may have carried out) are replayed only when --class names that class.",
            "conflict dead letters (a command id reused with another body) are never replayed: produce them under a new id."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Option(
            names = "--from-topic",
            description = "read the dead letters from the dead-letter topic instead of the dead_letters table"
                    + " (letters whose rows were pruned too)")
    boolean fromTopic;

    @Option(
            names = "--forgotten",
            description = "with --from-topic, also commands the ledger no longer has (pruned): whether they were"
                    + " replayed and succeeded since cannot be checked")
    boolean forgotten;

    @Option(names = "--from", description = "dead-lettered at or after this ISO-8601 instant")
    Instant from;

    @Option(names = "--to", description = "dead-lettered before this ISO-8601 instant")
    Instant to;

    @Option(
            names = "--class",
            split = ",",
            description = "error classes: invalid, permanent, exhausted, credentials, unknown-outcome, conflict"
                    + " (default: all but unknown-outcome; conflict letters are listed, never replayed)")
    List<String> errorClasses;

    @Option(names = "--type", description = "command type")
    String type;

    @Option(names = "--campaign", description = "campaign id")
    String campaign;

    @Option(names = "--ids", description = "a file of command ids, one per line")
    Path ids;

    @Option(names = "--again", description = "also dead letters that were replayed before")
    boolean again;

    @Option(names = "--dry-run", description = "list what would be replayed and why, and send nothing")
    boolean dryRun;

    @Option(names = "--rate", description = "dead letters replayed per second at most (default: ${DEFAULT-VALUE})")
    int rate = 500;

    @Option(names = "--limit", description = "dead letters considered at most (default: ${DEFAULT-VALUE})")
    int limit = 100_000;

    @Option(names = "--by", description = "who replays, recorded in dead_letters (default: the user name)")
    String by = System.getProperty("user.name", "herald");

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--json", description = "report each dead letter, then the summary, as one JSON object per line")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || limit < 1) {
            throw new ParameterException(spec.commandLine(), "--rate and --limit must be positive");
        }
        List<String> classes;
        try {
            classes = Replay.classes(errorClasses);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        var config = HeraldConfig.from(kafka.environment());
        if (!dryRun) {
            config.require(io.herald.config.Setting.Need.KAFKA);
        }
        try (var database = Connections.database(config)) {
            var store = new DeadLetterStore(database);
            var commandIds = ids == null
                    ? null
                    : Files.readAllLines(ids).stream()
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .toList();
            var filter = new DeadLetterStore.Filter(from, to, classes, type, campaign, commandIds, again);
            var replay = new Replay(store, config, dryRun, rate, by);
            if (fromTopic) {
                config.require(io.herald.config.Setting.Need.KAFKA);
                var records = DeadLetterTopic.read(config.kafka(), from, to, limit);
                return run(replay, TopicReplay.plan(records, filter, forgotten, store), json, System.out);
            }
            if (forgotten) {
                throw new ParameterException(spec.commandLine(), "--forgotten goes with --from-topic");
            }
            return run(replay, Replay.plan(store.find(filter, limit)), json, System.out);
        }
    }

    /** Replays the letters, printing each step as it is taken, then a summary: as text, or one JSON object per line. */
    static int run(Replay replay, List<Replay.Step> planned, boolean json, PrintStream out) throws Exception {
        var report = new ReplayReport(replay.dryRun(), json);
        var steps = replay.carryOut(planned, step -> out.println(report.step(step)));
        out.println(report.summary(steps));
        return ExitCodes.OK;
    }
}
