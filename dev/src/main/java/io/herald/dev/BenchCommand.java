package io.herald.dev;

import io.herald.bench.Benchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code herald bench}: dev mode under load; prints a JSON summary as its last line. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs dev mode under load: a sandbox answering after --latency-ms and failing --fail-rate of calls,"
                    + " one worker, --commands push commands. Prints a JSON summary (commands/s, latency percentiles, CPU per command of"
                    + " the worker, PostgreSQL, the broker and the sandbox, peak memory)"
                    + " as its last line."
        })
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--commands", description = "commands to send (default: ${DEFAULT-VALUE})")
    int commands = 20_000;

    @Option(names = "--latency-ms", description = "the sandbox's latency per call (default: ${DEFAULT-VALUE})")
    long latencyMs = 100;

    @Option(
            names = "--fail-rate",
            description = "share of calls the sandbox fails with 503, retried (default: ${DEFAULT-VALUE})")
    double failRate = 0;

    @Option(
            names = "--rate",
            description =
                    "commands offered per second; 0 offers them as fast as they can be produced (default: ${DEFAULT-VALUE})")
    int rate = 0;

    @Option(
            names = "--keys",
            description =
                    "distinct identities (routing keys); commands of one key run in order (default: commands / 4)")
    Integer keys;

    @Option(names = "--preload", description = "enqueue every command before the worker starts (a backlog)")
    boolean preload;

    @Option(names = "--max-in-flight", description = "HERALD_MAX_IN_FLIGHT of the worker (default: ${DEFAULT-VALUE})")
    int maxInFlight = 1000;

    @Option(names = "--campaign", description = "run one campaign of this many recipients instead of --commands pushes")
    int campaign;

    @Option(
            names = "--campaign-window",
            description = "HERALD_CAMPAIGN_WINDOW of the worker (default: ${DEFAULT-VALUE})")
    int campaignWindow = 2000;

    @Option(
            names = "--warm-up-s",
            description = "latency percentiles leave out the commands enqueued in the first this many seconds"
                    + " (not with --preload; all are measured when the run is shorter) (default: ${DEFAULT-VALUE})")
    double warmUpSeconds = 30;

    @Option(
            names = "--prune",
            description = "write this many ended commands past the ledger's retention before the worker starts, which"
                    + " prunes them 60 s after its start while the pushes flow (default: ${DEFAULT-VALUE})")
    int prune;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (commands < 1
                || latencyMs < 0
                || failRate < 0
                || failRate >= 1
                || rate < 0
                || maxInFlight < 1
                || campaign < 0
                || campaignWindow < 1
                || warmUpSeconds < 0
                || prune < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--commands and --max-in-flight must be positive, --latency-ms and --rate not negative,"
                            + " --fail-rate in [0, 1), --warm-up-s and --prune not negative");
        }
        var options = new Benchmark.Options(
                commands,
                latencyMs,
                failRate,
                rate,
                keys != null ? keys : Math.max(1, commands / 4),
                preload,
                maxInFlight,
                campaign,
                campaignWindow,
                warmUpSeconds,
                prune);
        var summary = new Benchmark(options, SandboxProcess::start, System.err).run();
        System.out.println(summary);
        return 0;
    }
}
