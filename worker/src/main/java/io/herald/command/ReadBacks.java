package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.api.Answers;
import io.herald.command.api.CallResult;
import io.herald.command.api.SharingMessage;
import io.herald.command.api.ShortUrl;
import io.herald.schema.Command;
import io.herald.schema.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What reading OneAll back says of a lost call, judged without I/O: the reads themselves are the executor's.
 * A lost call's effect would be dated from its claim on: publications and messages more than {@link #SLACK} older
 * than the claim do not count (clock differences between OneAll and the database allowed for).
 */
public final class ReadBacks {
    /** How far OneAll's and the database's clocks may differ. */
    public static final Duration SLACK = Duration.ofMinutes(2);

    /** OneAll's page of a list: {@code entries_per_page} by default, and at most. */
    private static final int PUBLICATIONS_PAGE = 250;

    private static final int LARGEST_PAGE = 500;

    private ReadBacks() {}

    /**
     * A lost re-publish: the target's successful publications since the claim. Only a read that lists every
     * publication of the message can prove one missing: not one that says it lists only some, nor a bare list exactly
     * as long as a full page ({@link #mayLeaveOut}), which may go on past what it shows.
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
            return new ReadBackVerdict.TookEffect(Answers.narrowed(((CallResult.Answered) read).data(), target));
        }
        if (mayLeaveOut(message.get())) {
            return new ReadBackVerdict.Undecided(
                    "the read lists " + message.get().publications().size()
                            + " of the message's "
                            + (message.get().publicationCount() == null
                                    ? "publications, a page of them"
                                    : message.get().publicationCount() + " publications")
                            + ", so a missing one proves nothing");
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

    /**
     * A lost publish, judged from the candidates read back (the messages listed in its window, {@link MessageListing}):
     * exactly one message with the command's parts and a publication for its target took effect; several cannot be
     * told apart. No effect only on a view that could show the message: every message of the window listed and read,
     * and none that Herald's sanitiser, OneAll or a cut could have made of the command's parts
     * ({@link PartsComparison}). A message the ledger records as another command's effect is left aside; the one match
     * left is not taken while another publish to the target that could have made it is unsettled ({@link
     * OtherCommands}): two commands never own one message.
     *
     * @param view   whether the candidates are every message made in the window, and if not why
     * @param others what the ledger recorded of other commands once the candidates were read
     */
    public static ReadBackVerdict publish(
            Command.Publish command, List<CallResult> candidates, MessageListing.Next view, OtherCommands others) {
        var parts = command.sharingMessage().get("parts");
        var target = targetToken(command.target());
        var matches = new ArrayList<CallResult.Answered>();
        int maybe = 0;
        int unreadable = 0;
        for (var read : candidates) {
            var message = messageOf(read);
            if (message.isEmpty()) {
                unreadable++;
                continue;
            }
            var token = message.get().token();
            if (token != null && others.owners().containsKey(token)) {
                continue;
            }
            var likeness = likeness(parts, (CallResult.Answered) read, message.get());
            if (likeness == PartsComparison.Likeness.DIFFERENT) {
                continue;
            }
            boolean forTarget = message.get().publications().stream().anyMatch(p -> p.isFor(target));
            if (likeness == PartsComparison.Likeness.SAME && forTarget) {
                matches.add((CallResult.Answered) read);
            } else if (forTarget || mayLeaveOut(message.get())) {
                maybe++;
            }
        }
        if (matches.size() == 1) {
            return taken(matches.get(0), others.unsettled());
        }
        if (matches.size() > 1) {
            return new ReadBackVerdict.Undecided(
                    matches.size() + " messages made since the claim have the command's parts and target");
        }
        if (maybe > 0) {
            return new ReadBackVerdict.Undecided(maybe + " message(s) made since the claim may be the command's"
                    + " (parts cut short, rewritten links, or publications not all listed)");
        }
        if (unreadable > 0) {
            return new ReadBackVerdict.Undecided(
                    unreadable + " of the messages made since the claim could not be read");
        }
        return view instanceof MessageListing.Next.Incomplete incomplete
                ? new ReadBackVerdict.Undecided(incomplete.reason())
                : new ReadBackVerdict.NoEffect();
    }

    /** The one match, unless an unsettled publish to the target could have made it (its parts unknown, or alike). */
    private static ReadBackVerdict taken(CallResult.Answered match, List<OtherCommands.Unsettled> unsettled) {
        var message = messageOf(match).orElseThrow();
        var could = unsettled.stream()
                .filter(other -> other.parts() == null
                        || likeness(other.parts(), match, message) != PartsComparison.Likeness.DIFFERENT)
                .map(OtherCommands.Unsettled::commandId)
                .toList();
        if (could.isEmpty()) {
            return new ReadBackVerdict.TookEffect(match.data());
        }
        return new ReadBackVerdict.Undecided("the message made since the claim with the command's parts and target may"
                + " be another command's: " + String.join(", ", could)
                + " published to the target meanwhile and the ledger does not record its message");
    }

    private static PartsComparison.Likeness likeness(JsonNode parts, CallResult.Answered read, SharingMessage message) {
        return PartsComparison.compare(parts, Answers.partsAsSent(read), shortUrls(message));
    }

    /**
     * Whether a read may leave some of the message's publications out: it says it has more than it lists, or a bare
     * list is exactly as long as a full page of OneAll's (which lists in pages of {@value #PUBLICATIONS_PAGE} by
     * default, {@value #LARGEST_PAGE} at most). A bare list of any other length cannot be a page cut short: it is
     * shorter than a page, or longer than any.
     */
    static boolean mayLeaveOut(SharingMessage message) {
        int listed = message.publications().size();
        return message.listsOnlySome()
                || message.publicationCount() == null && (listed == PUBLICATIONS_PAGE || listed == LARGEST_PAGE);
    }

    private static List<ShortUrl> shortUrls(SharingMessage message) {
        return message.publications().stream()
                .flatMap(publication -> publication.shortUrls().stream())
                .toList();
    }

    static String targetToken(Target target) {
        return target instanceof Target.ForUser user ? user.userToken() : ((Target.ForIdentity) target).identityToken();
    }

    /** The message a read answered, if it answered one. */
    public static Optional<SharingMessage> messageOf(CallResult read) {
        if (read instanceof CallResult.Answered answered
                && answered.httpStatus() == 200
                && !"error".equals(answered.flag())) {
            return Answers.message(answered.data());
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
