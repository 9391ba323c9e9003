package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.Widgets.badge;
import static io.herald.console.Widgets.link;
import static io.herald.console.Widgets.section;
import static io.herald.console.Widgets.table;
import static io.herald.console.Widgets.url;

import io.herald.consume.GroupLag;
import io.herald.store.ConsoleQueries;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The overview, reloaded every five seconds: commands by status, throughput, what is in flight or waiting, dead letters
 * by class, the consumer lag per partition, held identities, and OneAll's recent answers.
 */
final class OverviewPage {
    static final int REFRESH_SECONDS = 5;

    private final ConsoleQueries queries;
    private final GroupLag lag;

    OverviewPage(ConsoleQueries queries, GroupLag lag) {
        this.queries = queries;
        this.lag = lag;
    }

    Response show(Request request) throws SQLException {
        return Layout.page(request, "Overview")
                .refreshEvery(REFRESH_SECONDS)
                .add(el("div")
                        .cls("grid")
                        .with(statuses(), throughput(), waiting(), deadLetters(), consumerLag(), oneAll()))
                .response();
    }

    private Html statuses() throws SQLException {
        var rows = new ArrayList<List<Html>>();
        for (var count : queries.commandsByStatus()) {
            rows.add(List.of(
                    link(url("/commands", "status", count.status()), count.status()),
                    text(count.lastHour()),
                    text(count.lastDay())));
        }
        return section(
                "Commands by status",
                table(
                        "Commands created in the last hour and day, by status now",
                        List.of("status", "last hour", "last day"),
                        rows));
    }

    private Html throughput() throws SQLException {
        var perMinute = queries.endedPerMinute();
        long lastMinute = perMinute.get(perMinute.size() - 1);
        long lastFive = perMinute.subList(perMinute.size() - 5, perMinute.size()).stream()
                .mapToLong(Long::longValue)
                .sum();
        long lastHour = perMinute.stream().mapToLong(Long::longValue).sum();
        return section(
                "Throughput",
                Widgets.facts(
                        "Ended in the last minute",
                        lastMinute,
                        "Ended per second, last 5 minutes",
                        String.format(Locale.ROOT, "%.1f", lastFive / 300.0),
                        "Ended in the last hour",
                        lastHour),
                Charts.bars("Commands ended per minute over the last hour", perMinute, "60 min ago", "now"));
    }

    private Html waiting() throws SQLException {
        var waiting = queries.waiting();
        return section(
                "In flight and waiting",
                Widgets.facts(
                        "In flight (calls under way)",
                        waiting.inFlight(),
                        "Waiting in the ledger (retries, schedules, behind their account)",
                        waiting.parked(),
                        "In the outbox, not yet in Kafka",
                        waiting.outbox()
                                + (waiting.oldestOutbox() == null
                                        ? ""
                                        : " (oldest " + Widgets.ago(waiting.oldestOutbox()) + ")"),
                        "Identities held for credentials",
                        link("/identities", waiting.heldIdentities())));
    }

    private Html deadLetters() throws SQLException {
        var rows = new ArrayList<List<Html>>();
        for (var count : queries.deadLettersByClass()) {
            rows.add(List.of(
                    badge(count.errorClass()),
                    link(url("/dead-letters", "class", count.errorClass()), count.open()),
                    text(count.lastDay()),
                    text(count.total())));
        }
        return section(
                "Dead letters by class",
                table("Dead letters by error class", List.of("class", "not replayed", "last day", "all"), rows));
    }

    private Html consumerLag() {
        var read = lag.read();
        if (read.unknownBecause() != null) {
            return section("Consumer lag", Widgets.note("Lag is unknown: " + read.unknownBecause() + "."));
        }
        var rows = new ArrayList<List<Html>>();
        for (var partition : read.partitions()) {
            rows.add(List.of(
                    text(partition.partition()),
                    text(partition.committed() == null ? "none" : partition.committed()),
                    text(partition.end()),
                    text(partition.lag())));
        }
        return section(
                "Consumer lag",
                Widgets.note("Group " + lag.group() + " on " + lag.topic() + ": " + read.total()
                        + " record(s) not yet taken on by a worker."),
                table("Consumer lag per partition", List.of("partition", "committed", "end", "lag"), rows));
    }

    private Html oneAll() throws SQLException {
        var rows = new ArrayList<List<Html>>();
        for (var answer : queries.recentAnswers()) {
            rows.add(List.of(
                    text(answer.httpStatus().equals("none") ? "no answer" : "HTTP " + answer.httpStatus()),
                    text(answer.calls())));
        }
        return section(
                "OneAll",
                table(
                        "Answers to the calls of the last 5 minutes, from the attempt logs",
                        List.of("answer", "calls"),
                        rows),
                Widgets.note(
                        "Circuit breakers and provider rate limits live in each worker's memory, not in PostgreSQL: see"
                                + " herald_oneall_breaker_open and herald_oneall_limited_providers on each worker's /metrics."
                                + " A run of 429, 5xx or no answer above is what opens a breaker."));
    }
}
