package io.herald.route;

import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.store.DeadLetterStore;
import io.herald.store.DeadLetterStore.DeadLetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * A replay planned from the dead-letter topic ({@code herald replay --from-topic}): each record there, filtered as the
 * table's letters are, and checked against the ledger as they are. A letter whose {@code dead_letters} row is still
 * there is that row (its replays counted, {@code superseded} kept); one whose row was pruned is taken from the record,
 * with its command's status where the ledger still has the command. Two more checks stand in for the bookkeeping a
 * pruned row no longer keeps: only a command's last letter on the topic is replayed, and not when the command was
 * dead-lettered again since in another class. A command the ledger no longer has at all may have been replayed and
 * succeeded before its rows were pruned: it is replayed only when asked ({@code forgotten}).
 */
public final class TopicReplay {
    private TopicReplay() {}

    /**
     * The steps of replaying these records, in their order on the topic, for the letters {@code filter} selects;
     * {@code forgotten}: also commands the ledger no longer has.
     */
    public static List<Replay.Step> plan(
            List<DeadLetterTopic.Letter> records,
            DeadLetterStore.Filter filter,
            boolean forgotten,
            DeadLetterStore store)
            throws Exception {
        var wanted = records.stream().filter(r -> selected(r, filter)).toList();
        var commandIds = wanted.stream()
                .map(DeadLetterTopic.Letter::commandId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        var lastOf = new HashMap<String, DeadLetterTopic.Letter>();
        // a conflict letter is another command's record under the id: it is not the command's last letter
        wanted.stream()
                .filter(r ->
                        r.commandId() != null && !ErrorClass.CONFLICT.wireName().equals(r.errorClass()))
                .forEach(r -> lastOf.put(r.commandId(), r));
        var failedTimes = wanted.stream()
                .map(DeadLetterTopic.Letter::failedAt)
                .filter(Objects::nonNull)
                .sorted()
                .toList();
        var rows = failedTimes.isEmpty()
                ? java.util.Map.<String, DeadLetter>of()
                : store.byOrigin(
                        commandIds,
                        failedTimes.get(0).minusSeconds(1),
                        failedTimes.get(failedTimes.size() - 1).plusSeconds(1));
        var states = store.states(commandIds);
        var steps = new ArrayList<Replay.Step>();
        for (var record : wanted) {
            var row = record.heralds() ? rows.get(record.origin()) : null;
            if (row != null && row.replayedAt() != null && !filter.includeReplayed()) {
                continue;
            }
            var state = record.commandId() == null ? null : states.get(record.commandId());
            var letter = row != null ? row : fromRecord(record, state);
            var skip = reasonToSkip(record, lastOf.get(record.commandId()), state);
            if (skip == null && row == null && state == null && record.commandId() != null && !forgotten) {
                skip = "the ledger no longer has this command (its rows were pruned), so whether a replay since"
                        + " succeeded cannot be checked; --forgotten replays it anyway";
            }
            if (skip == null) {
                skip = Replay.reasonToSkip(letter);
            }
            steps.add(new Replay.Step(letter, skip, skip == null ? Replay.warning(letter) : null));
        }
        return steps;
    }

    private static boolean selected(DeadLetterTopic.Letter record, DeadLetterStore.Filter filter) {
        return (filter.errorClasses() == null || filter.errorClasses().contains(record.errorClass()))
                && (filter.type() == null || filter.type().equals(record.type()))
                && (filter.campaignId() == null || filter.campaignId().equals(record.campaignId()))
                && (filter.commandIds() == null || filter.commandIds().contains(record.commandId()));
    }

    private static String reasonToSkip(
            DeadLetterTopic.Letter record, DeadLetterTopic.Letter last, DeadLetterStore.CommandState state) {
        if (!record.heralds()) {
            return "no dead letter Herald wrote (its herald-* headers are missing)";
        }
        if (ErrorClass.CONFLICT.wireName().equals(record.errorClass())) {
            return Replay.reasonToSkip(fromRecord(record, state));
        }
        if (last != null && last != record) {
            return "a later dead letter of this command is on the topic (partition " + last.partition() + ", offset "
                    + last.offset() + ")";
        }
        if (state != null
                && CommandStatus.DEAD_LETTERED.is(state.status())
                && !record.errorClass().equals(state.lastErrorClass())) {
            return "the command was dead-lettered again since, as " + state.lastErrorClass()
                    + "; replay that dead letter";
        }
        return null;
    }

    /** A letter whose row was pruned: the record's facts, with its command's status (null if the ledger has none). */
    private static DeadLetter fromRecord(DeadLetterTopic.Letter record, DeadLetterStore.CommandState state) {
        Instant failedAt = record.failedAt();
        return new DeadLetter(
                0,
                record.commandId(),
                record.type() == null ? "unknown" : record.type(),
                record.errorClass(),
                record.error(),
                failedAt,
                record.key(),
                record.value(),
                state == null ? null : state.status(),
                null,
                false,
                null,
                0,
                record.original());
    }
}
