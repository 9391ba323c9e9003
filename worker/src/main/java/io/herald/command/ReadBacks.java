package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.oneall.CallResult;
import io.herald.oneall.MessagePage;
import io.herald.oneall.SharingMessage;
import io.herald.schema.Command;
import io.herald.schema.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What reading OneAll back says of a lost call, judged without I/O: the reads themselves are the executor's.
 * A lost call's effect would be dated from its claim on: publications and messages more than {@link #SLACK} older
 * than the claim do not count (clock differences between OneAll and the database allowed for).
 */
public final class ReadBacks {
    /** How far OneAll's and the database's clocks may differ. */
    public static final Duration SLACK = Duration.ofMinutes(2);

    private ReadBacks() {}

    /**
     * A lost re-publish: the target's successful publications since the claim. Only a read that lists every
     * publication of the message can prove one missing.
     *
     * @param asked the providers the lost call asked for (empty for an identity)
     */
    public static ReadBackVerdict republish(
            CallResult read, String token, String target, List<String> asked, Instant claimedAt) {
        return republish(read, messageOf(read), token, target, asked, claimedAt);
    }

    /** The same, with the read's message decoded once for every lost call it settles. */
    public static ReadBackVerdict republish(
            CallResult read,
            Optional<SharingMessage> message,
            String token,
            String target,
            List<String> asked,
            Instant claimedAt) {
        if (message.isEmpty()) {
            return new ReadBackVerdict.Undecided(describe(read));
        }
        var since = claimedAt.minus(SLACK);
        var succeeded = new LinkedHashSet<String>();
        for (var publication : message.get().publications()) {
            if (publication.isFor(target)
                    && publication.succeeded()
                    && (publication.datePublication() == null
                            || !publication.datePublication().isBefore(since))) {
                succeeded.add(publication.provider());
            }
        }
        var remaining = new ArrayList<>(asked);
        remaining.removeAll(succeeded);
        if (asked.isEmpty() ? !succeeded.isEmpty() : remaining.isEmpty()) {
            return new ReadBackVerdict.TookEffect(
                    io.herald.oneall.Answers.narrowed(((CallResult.Answered) read).data(), target));
        }
        if (message.get().listsOnlySome()) {
            return new ReadBackVerdict.Undecided(
                    "the read lists " + message.get().publications().size() + " of the message's "
                            + message.get().publicationCount() + " publications, so a missing one proves nothing");
        }
        if (succeeded.isEmpty()) {
            return new ReadBackVerdict.NoEffect();
        }
        return new ReadBackVerdict.Partly(token, List.copyOf(succeeded), remaining);
    }

    /** A lost delete: a read that answers 404 proves the message is gone; one that shows it proves it is not. */
    public static ReadBackVerdict delete(CallResult read) {
        if (read instanceof CallResult.Answered answered) {
            if (answered.httpStatus() == 404) {
                return new ReadBackVerdict.TookEffect(null);
            }
            if (answered.httpStatus() == 200
                    && messageOf(read).filter(m -> m.token() != null).isPresent()) {
                return new ReadBackVerdict.NoEffect();
            }
        }
        return new ReadBackVerdict.Undecided(describe(read));
    }

    /** The listed messages that a lost publish could have created: made from the claim on, to the call's deadline. */
    public static List<String> candidates(MessagePage page, Instant claimedAt, Duration callTimeout) {
        var from = claimedAt.minus(SLACK);
        var to = claimedAt.plus(callTimeout).plus(SLACK);
        var tokens = new ArrayList<String>();
        for (var summary : page.entries()) {
            var created = summary.dateCreation();
            if (summary.token() != null && (created == null || !created.isBefore(from) && !created.isAfter(to))) {
                tokens.add(summary.token());
            }
        }
        return tokens;
    }

    /** Whether a listed message may reach back before the claim: the next page must be read too. */
    public static boolean olderPagesMatter(MessagePage page, Instant claimedAt) {
        if (page.entries().isEmpty() || page.currentPage() >= page.totalPages()) {
            return false;
        }
        var oldest = page.entries().get(page.entries().size() - 1).dateCreation();
        return oldest == null || !oldest.isBefore(claimedAt.minus(SLACK));
    }

    /**
     * A lost publish, judged from the candidates read back: exactly one message with the command's parts and a
     * publication for its target took effect; none, no effect; several cannot be told apart.
     *
     * @param complete whether every candidate could be read
     */
    public static ReadBackVerdict publish(Command.Publish command, List<CallResult> candidates, boolean complete) {
        var parts = command.sharingMessage().get("parts");
        var target = targetToken(command.target());
        var matches = new ArrayList<JsonNode>();
        for (var read : candidates) {
            var message = messageOf(read);
            if (message.isPresent()
                    && sameParts(parts, message.get().parts())
                    && message.get().publications().stream().anyMatch(p -> p.isFor(target))) {
                matches.add(((CallResult.Answered) read).data());
            }
        }
        if (matches.size() == 1) {
            return new ReadBackVerdict.TookEffect(matches.get(0));
        }
        if (matches.size() > 1) {
            return new ReadBackVerdict.Undecided(
                    matches.size() + " messages made since the claim have the command's parts and target");
        }
        return complete
                ? new ReadBackVerdict.NoEffect()
                : new ReadBackVerdict.Undecided("not every message made since the claim could be read");
    }

    /** The parts OneAll keeps of a message, compared by what a user sees: the text, the link, the picture and the video. */
    static boolean sameParts(JsonNode asked, JsonNode stored) {
        if (asked == null || stored == null) {
            return false;
        }
        for (var field : List.of("text/body", "link/url", "picture/url", "video/url")) {
            var pointer = "/" + field;
            if (!Objects.equals(text(asked.at(pointer)), text(stored.at(pointer)))) {
                return false;
            }
        }
        return true;
    }

    static String targetToken(Target target) {
        return target instanceof Target.ForUser user ? user.userToken() : ((Target.ForIdentity) target).identityToken();
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull()
                ? null
                : node.asText().trim();
    }

    /** The message a read answered, if it answered one. */
    public static Optional<SharingMessage> messageOf(CallResult read) {
        if (read instanceof CallResult.Answered answered
                && answered.httpStatus() == 200
                && !"error".equals(answered.flag())) {
            return io.herald.oneall.Answers.message(answered.data());
        }
        return Optional.empty();
    }

    private static String describe(CallResult read) {
        if (read instanceof CallResult.Answered answered) {
            return "the read answered HTTP " + answered.httpStatus()
                    + (answered.info() == null ? "" : ": " + answered.info());
        } else if (read instanceof CallResult.NotOneAll other) {
            return "the read answered HTTP " + other.httpStatus() + " without OneAll's envelope";
        } else if (read instanceof CallResult.NotSent notSent) {
            return "the read could not be made: " + notSent.reason();
        }
        return "the read got no answer: " + ((CallResult.MaybeSent) read).reason();
    }
}
