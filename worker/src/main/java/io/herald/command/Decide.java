package io.herald.command;

import io.herald.command.api.Call;
import io.herald.command.api.Requests;
import io.herald.schema.Command;
import io.herald.schema.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What happens to a command next, decided from what just happened and nothing else: no Kafka, Vert.x or JDBC, the
 * time passed in. {@code DecideTest} holds the table of every event with the guarantee each row keeps; the executor
 * carries decisions out and feeds back the next event.
 */
public final class Decide {
    private Decide() {}

    public static Decision next(Command command, Event event, Policy policy, Instant now) {
        if (event instanceof Event.Claimed claimed) {
            return send(command, claimed.attempt(), claimed.progress());
        } else if (event instanceof Event.AlreadyEnded ended) {
            return new Decision.Acknowledge(ended.status(), ended.attempts());
        } else if (event instanceof Event.ReusedId reused) {
            return new Decision.Conflict("command id " + command.commandId() + " was first consumed with body sha256 "
                    + reused.knownDigest() + "; this record's body is sha256 " + reused.recordDigest()
                    + ": a reuse of the id with another body, never sent; produce it under a new id");
        } else if (event instanceof Event.CampaignCancelled cancelled) {
            return new Decision.Cancel(cancelled.attempts());
        } else if (event instanceof Event.AccountWaiting) {
            return new Decision.ParkBehind();
        } else if (event instanceof Event.NotYetDue due) {
            return new Decision.Wait(
                    due.at(), due.scheduled(), due.scheduled() ? "scheduled (not_before)" : "waiting for its retry");
        } else if (event instanceof Event.IdentityHeld held) {
            return new Decision.Wait(held.until(), false, "its identity is held for its credentials");
        } else if (event instanceof Event.HoldExpired expired) {
            return new Decision.DeadLetter(
                    ErrorClass.CREDENTIALS,
                    "OneAll refused the identity's credentials (" + expired.reason()
                            + ") and no operator resumed the identity before its hold expired",
                    expired.httpStatus());
        } else if (event instanceof Event.Found found) {
            return next(command, found.meaning(now), policy, now);
        } else if (event instanceof Event.FoundInFlight found) {
            return foundInFlight(command, found, policy, now);
        } else if (event instanceof Event.Fenced) {
            return new Decision.Drop("the partition is no longer this worker's");
        } else if (event instanceof Event.CallEnded ended) {
            return CallOutcomes.decide(command, ended, policy, now);
        } else if (event instanceof Event.SiteKeysChecked checked) {
            return siteKeysChecked(command, checked, policy, now);
        } else if (event instanceof Event.ReadBack read) {
            return readBack(command, read, policy);
        } else if (event instanceof Event.ArrivedBehind) {
            return arrivedBehind(command, now);
        } else if (event instanceof Event.Written written) {
            return written(written);
        }
        return writeRefused(((Event.WriteRefused) event));
    }

    /** A record the poll loop holds behind its account's earlier work: scheduled on its own while not yet due, else behind. */
    private static Decision arrivedBehind(Command command, Instant now) {
        var notBefore = command.envelope().notBefore().filter(at -> at.isAfter(now));
        return notBefore.isPresent()
                ? new Decision.Wait(notBefore.get(), true, "scheduled (not_before)")
                : new Decision.ParkBehind();
    }

    /** What follows a ledger write, from what the write found; needs neither the command nor the policy. */
    public static Decision written(Event.Written written) {
        var attempted = written.attempted();
        switch (written.write()) {
            case REUSED_ID:
                return new Decision.Claim("its id is recorded with another body, which its claim finds");
            case APPLIED_NOT_PARKED:
                return new Decision.Drop("the partition is another worker's now");
            case FENCED:
                return fenced(attempted, written.unsentAttempt());
            default:
                if (attempted instanceof Decision.SendAgain again) {
                    return new Decision.Claim(again.reason());
                } else if (attempted instanceof Decision.HoldForSiteKeys) {
                    return new Decision.AwaitSiteKeys();
                }
                return new Decision.Stop(attempted.ending());
        }
    }

    private static Decision fenced(Decision attempted, Integer unsentAttempt) {
        if (attempted instanceof Decision.Wait || attempted instanceof Decision.ParkBehind) {
            return new Decision.Drop("the partition is another worker's now");
        } else if (attempted instanceof Decision.CorrectLostCall || attempted instanceof Decision.ReturnUnsent) {
            return new Decision.Drop("the lost call was settled otherwise");
        } else if (unsentAttempt != null) {
            // Not a drop: the claim may have been changed by its own late worker, which leaves the command pending
            // and may have lost the partition since; only the ledger, read again with the partition's fence, says
            // whether it ended, waits, is under another claim or is this worker's to send.
            return new Decision.ReturnUnsent(
                    unsentAttempt, "attempt " + unsentAttempt + " was never sent: its worker held it back");
        }
        return attempted instanceof Decision.Finish finish
                ? new Decision.CorrectLostCall(finish)
                : new Decision.WaitForInFlight(
                        Duration.ZERO, "its claim changed under this worker's record; reading the ledger again");
    }

    /** The call of a claim: the command's own, or a re-publish of what an earlier attempt left to do. */
    public static Decision.Send send(Command command, int attempt, Progress progress) {
        if (progress == null) {
            return new Decision.Send(attempt, Requests.of(command), Expectation.of(command, null), null);
        }
        var target = target(command)
                .orElseThrow(() -> new IllegalStateException(
                        command.type().wireName() + " command " + command.commandId() + " has progress but no target"));
        Call call;
        Expectation expectation;
        if (target instanceof Target.ForUser user) {
            call = Requests.republishFor(
                    progress.sharingMessageToken(), user.userToken(), progress.remainingProviders());
            expectation = new Expectation(Expectation.Kind.REPUBLISH, user.userToken(), progress.remainingProviders());
        } else {
            var identity = ((Target.ForIdentity) target).identityToken();
            call = Requests.republishForIdentity(progress.sharingMessageToken(), identity);
            expectation = new Expectation(Expectation.Kind.REPUBLISH, identity, List.of());
        }
        return new Decision.Send(attempt, call, expectation, progress);
    }

    private static Decision foundInFlight(Command command, Event.FoundInFlight found, Policy policy, Instant now) {
        var lostAfter = policy.lostAfter();
        if (found.age().compareTo(lostAfter) < 0) {
            return new Decision.WaitForInFlight(
                    lostAfter.minus(found.age()),
                    "attempt " + found.attempts() + " of worker " + found.claimedBy() + " may still be under way");
        }
        var reason = "attempt " + found.attempts() + " (worker " + found.claimedBy()
                + ") was in flight when its worker stopped";
        return lost(command, found.attempts(), found.progress(), now.minus(found.age()), Duration.ZERO, reason, policy);
    }

    /** A call that may have reached OneAll: read back where OneAll allows it, else the unknown-outcome policy. */
    static Decision lost(
            Command command,
            int attempt,
            Progress progress,
            Instant claimedAt,
            Duration settle,
            String reason,
            Policy policy) {
        var kind = command instanceof Command.Republish || progress != null
                ? LostCall.Kind.REPUBLISH
                : command instanceof Command.Delete
                        ? LostCall.Kind.DELETE
                        : command instanceof Command.Publish ? LostCall.Kind.PUBLISH : null;
        if (kind != null) {
            return new Decision.ReadBack(new LostCall(attempt, claimedAt, kind, progress), settle, reason);
        }
        if (command instanceof Command.Refresh) {
            return new Decision.SendAgain(reason + "; a refresh only reads, so it is sent again", null);
        }
        return unknown(reason + "; OneAll offers no way to read a push back", policy);
    }

    static Decision unknown(String reason, Policy policy) {
        if (policy.onUnknownOutcome() == UnknownOutcomePolicy.RETRY) {
            return new Decision.SendAgain(reason + "; sent again (HERALD_ON_UNKNOWN_OUTCOME=retry)", null);
        }
        return new Decision.DeadLetter(ErrorClass.UNKNOWN_OUTCOME, reason, null);
    }

    private static Decision siteKeysChecked(
            Command command, Event.SiteKeysChecked checked, Policy policy, Instant now) {
        var suspect = checked.suspect();
        if (checked.siteKeysRejected()) {
            return new Decision.HoldForSiteKeys(
                    "OneAll rejects the site's keys (ONEALL_PUBLIC_KEY / ONEALL_PRIVATE_KEY)");
        }
        if (holdsForItsIdentity(command) && !policy.identityHold().isZero()) {
            return new Decision.HoldIdentity(now.plus(policy.identityHold()), suspect.reason(), suspect.httpStatus());
        }
        return new Decision.DeadLetter(
                ErrorClass.PERMANENT, suspect.reason() + " (the site's keys are accepted)", suspect.httpStatus());
    }

    private static Decision readBack(Command command, Event.ReadBack read, Policy policy) {
        var verdict = read.verdict();
        var lost = "attempt " + read.lost().attempt() + " lost its answer";
        if (verdict instanceof ReadBackVerdict.TookEffect effect) {
            return new Decision.Finish(CommandStatus.SUCCEEDED, effect.data(), null, null, false);
        } else if (verdict instanceof ReadBackVerdict.NoEffect) {
            return new Decision.SendAgain(lost + "; reading OneAll back shows it had no effect", null);
        } else if (verdict instanceof ReadBackVerdict.Partly partly) {
            return new Decision.SendAgain(
                    lost + "; reading OneAll back shows it published to " + String.join(", ", partly.succeeded())
                            + " only",
                    new Progress(partly.sharingMessageToken(), partly.remaining(), partly.succeeded()));
        }
        return unknown(
                lost + " and reading OneAll back could not settle it: "
                        + ((ReadBackVerdict.Undecided) verdict).reason(),
                policy);
    }

    private static Decision writeRefused(Event.WriteRefused refused) {
        var attempted = refused.attempted();
        if (refused.times() < 3) {
            return attempted;
        }
        var why = "; recorded without OneAll's answer: the database refused it " + refused.times() + " times ("
                + refused.reason() + ")";
        if (attempted instanceof Decision.Finish finish) {
            return new Decision.Finish(
                    finish.status(),
                    null,
                    finish.reason() == null ? why.substring(2) : finish.reason() + why,
                    finish.httpStatus(),
                    true);
        } else if (attempted instanceof Decision.DeadLetter letter) {
            return new Decision.DeadLetter(letter.errorClass(), letter.reason() + why, letter.httpStatus(), true);
        }
        return new Decision.DeadLetter(
                ErrorClass.INVALID,
                "the database refuses to record this command " + refused.times() + " times (" + refused.reason() + ")",
                null,
                true);
    }

    /** Whether the command acts for one identity or user (its routing key), which OneAll's refusal of credentials then holds. */
    static boolean holdsForItsIdentity(Command command) {
        return command instanceof Command.Push
                || command instanceof Command.Publish
                || command instanceof Command.Republish;
    }

    /** The user or identity a publish or re-publish is for. */
    static Optional<Target> target(Command command) {
        if (command instanceof Command.Publish publish) {
            return Optional.of(publish.target());
        } else if (command instanceof Command.Republish republish) {
            return Optional.of(republish.target());
        }
        return Optional.empty();
    }

    /** The providers a publish or re-publish for a user asks for (empty for an identity or another type). */
    static List<String> providers(Command command) {
        return target(command)
                .filter(Target.ForUser.class::isInstance)
                .map(t -> ((Target.ForUser) t).providers())
                .orElse(List.of());
    }

    static List<String> union(List<String> a, List<String> b) {
        var all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
