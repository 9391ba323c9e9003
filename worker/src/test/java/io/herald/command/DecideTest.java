package io.herald.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.herald.command.api.Call;
import io.herald.schema.Command;
import io.herald.schema.CommandReader;
import io.herald.schema.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision table: one row per state and event, each named as the guarantee it keeps. {@link Decide#next} is pure,
 * so each row is a command, an event and the decision it must come to.
 */
class DecideTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String USER = "9a76c7f6-3705-48a8-8ea6-e862ed86d5d8";
    private static final String IDENTITY = "03939f19-98bd-4a07-a949-531f15ed346b";
    private static final String TOKEN = "328ef915-da13-4b58-83f6-6a35af3b08c0";
    private static final Policy POLICY = policy(UnknownOutcomePolicy.DEAD_LETTER, Duration.ofHours(1));
    private static final Policy RETRY_UNKNOWN = policy(UnknownOutcomePolicy.RETRY, Duration.ofHours(1));
    private static final Policy NO_HOLDS = policy(UnknownOutcomePolicy.DEAD_LETTER, Duration.ZERO);

    private static final Command PUSH = command("""
            {"command_id":"p","type":"push","identity_token":"%s","endpoint":"twitter/post","push":{"post":{"message":"Hi"}}}""".formatted(IDENTITY));
    private static final Command SCHEDULED_PUSH = command("""
            {"command_id":"s","type":"push","identity_token":"%s","endpoint":"twitter/post","push":{"post":{"message":"Hi"}},
             "not_before":"2026-12-01T12:10:00Z"}""".formatted(IDENTITY));
    private static final Command DUE_PUSH = command("""
            {"command_id":"s","type":"push","identity_token":"%s","endpoint":"twitter/post","push":{"post":{"message":"Hi"}},
             "not_before":"2026-12-01T11:50:00Z"}""".formatted(IDENTITY));
    private static final Command PUBLISH = command("""
            {"command_id":"m","type":"publish","sharing_message":{"parts":{"text":{"body":"Hi"}},
             "publish_for_user":{"user_token":"%s","providers":["facebook","twitter"]}}}""".formatted(USER));
    private static final Command REPUBLISH = command("""
            {"command_id":"r","type":"republish","sharing_message_token":"%s",
             "sharing_message":{"publish_for_user":{"user_token":"%s","providers":["facebook","twitter"]}}}""".formatted(TOKEN, USER));
    private static final Command DELETE = command("""
            {"command_id":"d","type":"delete","sharing_message_token":"%s"}""".formatted(TOKEN));
    private static final Command REFRESH = command("""
            {"command_id":"f","type":"refresh","sharing_message_token":"%s"}""".formatted(TOKEN));

    /** Without jitter: a retry's time is exact, so a row can write it out. */
    private static Policy policy(UnknownOutcomePolicy unknown, Duration hold) {
        return new Policy(
                RetryPolicy.maxAttempts(3).exponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10)),
                unknown,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                hold);
    }

    private static Command command(String json) {
        return ((Validation.Valid) new CommandReader().read(json.replace("\n", ""))).command();
    }

    private static Event.CallEnded call(int attempt, Classification classification) {
        return new Event.CallEnded(attempt, null, classification, null, null, false, NOW.minusSeconds(1), 0);
    }

    private static Event.CallEnded call(int attempt, Progress progress, Classification classification) {
        return new Event.CallEnded(attempt, progress, classification, null, null, false, NOW.minusSeconds(1), 0);
    }

    /** A row a claim found: {@code claimedBy} "mine" for this claim's own token. */
    private static Event.Found found(
            boolean reusedId, CommandStatus status, String claimedBy, Instant notBefore, boolean waiting, Instant due) {
        return new Event.Found(
                reusedId,
                "3f2a0c9d81b4",
                "77e1a5b0c2d9",
                status,
                1,
                "mine".equals(claimedBy),
                claimedBy,
                null,
                0,
                Duration.ofSeconds(1),
                false,
                notBefore,
                waiting,
                null,
                false,
                null,
                null,
                due);
    }

    private static Classification transientFailure(int status) {
        return new Classification.Transient("OneAll answered " + status, status, Optional.empty());
    }

    private static final Classification UNKNOWN = new Classification.Unknown("no answer within 30000 ms", null);
    private static final Progress TWITTER_LEFT = new Progress(TOKEN, List.of("twitter"), List.of("facebook"));
    /** Reads JSON written with single quotes, so that a row can write a payload inline. */
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    /** OneAll's {@code result.data} of an answer. */
    private static final JsonNode ANSWER = json("{'push':{'provider':'twitter','status':{'flag':'success'}}}");

    /** The call of {@link #PUSH}: its post, to its identity's endpoint. */
    private static final Call PUSH_CALL = new Call(
            "POST", "/push/identities/" + IDENTITY + "/twitter/post.json", json("{'push':{'post':{'message':'Hi'}}}"));

    private static final Decision.Conflict REUSED_ID = new Decision.Conflict(
            "command id p was first consumed with body sha256 3f2a0c9d81b4; this record's body is sha256 77e1a5b0c2d9:"
                    + " a reuse of the id with another body, never sent; produce it under a new id");

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A row: the decision must equal {@code expected} as a whole. */
    private static Arguments row(String guarantee, Command command, Event event, Policy policy, Decision expected) {
        return Arguments.of(guarantee, command, event, policy, expected);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // claims
                row(
                        "a claimed command is sent, its own call",
                        PUSH,
                        new Event.Claimed(1, null),
                        POLICY,
                        new Decision.Send(1, PUSH_CALL, new Expectation(Expectation.Kind.PUSH, null, List.of()), null)),
                row(
                        "a claimed publish with progress re-publishes to the missing providers alone, never publishes again",
                        PUBLISH,
                        new Event.Claimed(2, TWITTER_LEFT),
                        POLICY,
                        new Decision.Send(
                                2,
                                new Call(
                                        "POST",
                                        "/sharing/messages/" + TOKEN + ".json",
                                        json("{'sharing_message':{'publish_for_user':{'user_token':'" + USER
                                                + "','providers':['twitter']}}}")),
                                new Expectation(Expectation.Kind.REPUBLISH, USER, List.of("twitter")),
                                TWITTER_LEFT)),
                row(
                        "a command that ended is acknowledged, not sent again",
                        PUSH,
                        new Event.AlreadyEnded(CommandStatus.SUCCEEDED, 1),
                        POLICY,
                        new Decision.Acknowledge(CommandStatus.SUCCEEDED, 1)),
                row(
                        "a record reusing a known id with another body is a conflict naming both digests, never sent",
                        PUSH,
                        new Event.ReusedId("3f2a0c9d81b4", "77e1a5b0c2d9"),
                        POLICY,
                        REUSED_ID),
                row(
                        "a command of a cancelled campaign is recorded cancelled, not sent",
                        REPUBLISH,
                        new Event.CampaignCancelled(0),
                        POLICY,
                        new Decision.Cancel(0)),
                row(
                        "a command whose account waits in the ledger parks behind it, keeping the account's order",
                        PUSH,
                        new Event.AccountWaiting(),
                        POLICY,
                        new Decision.ParkBehind()),
                row(
                        "a scheduled command waits until its not_before without holding its account",
                        PUSH,
                        new Event.NotYetDue(NOW.plusSeconds(60), true),
                        POLICY,
                        new Decision.Wait(NOW.plusSeconds(60), true, "scheduled (not_before)")),
                row(
                        "a retry another worker recorded is waited for, never sent early",
                        PUSH,
                        new Event.NotYetDue(NOW.plusSeconds(5), false),
                        POLICY,
                        new Decision.Wait(NOW.plusSeconds(5), false, "waiting for its retry")),
                row(
                        "a command of a held identity waits for the hold, is neither sent nor dead-lettered",
                        PUSH,
                        new Event.IdentityHeld(NOW.plusSeconds(600)),
                        POLICY,
                        new Decision.Wait(NOW.plusSeconds(600), false, "its identity is held for its credentials")),
                row(
                        "a command whose identity's hold expired unresumed is dead-lettered as credentials",
                        PUSH,
                        new Event.HoldExpired("OneAll answered 401", 401),
                        POLICY,
                        new Decision.DeadLetter(
                                ErrorClass.CREDENTIALS,
                                "OneAll refused the identity's credentials (OneAll answered 401) and no operator resumed"
                                        + " the identity before its hold expired",
                                401)),
                row(
                        "a claim fenced by a newer epoch drops the work: the new owner has it",
                        PUSH,
                        new Event.Fenced(),
                        POLICY,
                        new Decision.Drop("the partition is no longer this worker's")),
                // found in flight
                row(
                        "a claim found in flight younger than the timeout is waited for, not dead-lettered or sent again",
                        PUSH,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(3), null),
                        POLICY,
                        new Decision.WaitForInFlight(
                                Duration.ofSeconds(32), "attempt 1 of worker w2:7 may still be under way")),
                row(
                        "a claim found in flight younger than the timeout is waited for even when unknown outcomes are retried",
                        PUSH,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(20), null),
                        RETRY_UNKNOWN,
                        new Decision.WaitForInFlight(
                                Duration.ofSeconds(15), "attempt 1 of worker w2:7 may still be under way")),
                row(
                        "a lost push cannot be read back: dead-lettered as an unknown outcome by default",
                        PUSH,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(40), null),
                        POLICY,
                        new Decision.DeadLetter(
                                ErrorClass.UNKNOWN_OUTCOME,
                                "attempt 1 (worker w2:7) was in flight when its worker stopped; OneAll offers no way to"
                                        + " read a push back",
                                null)),
                row(
                        "a lost push is sent again when unknown outcomes are retried",
                        PUSH,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(40), null),
                        RETRY_UNKNOWN,
                        new Decision.SendAgain(
                                "attempt 1 (worker w2:7) was in flight when its worker stopped; OneAll offers no way to"
                                        + " read a push back; sent again (HERALD_ON_UNKNOWN_OUTCOME=retry)",
                                null)),
                row(
                        "a lost re-publish is settled by reading its message back",
                        REPUBLISH,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(40), null),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(1, NOW.minusSeconds(40), LostCall.Kind.REPUBLISH, null),
                                Duration.ZERO,
                                "attempt 1 (worker w2:7) was in flight when its worker stopped")),
                row(
                        "a lost delete is settled by reading its message back",
                        DELETE,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(40), null),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(1, NOW.minusSeconds(40), LostCall.Kind.DELETE, null),
                                Duration.ZERO,
                                "attempt 1 (worker w2:7) was in flight when its worker stopped")),
                row(
                        "a lost publish is settled by listing the site's messages",
                        PUBLISH,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(40), null),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(1, NOW.minusSeconds(40), LostCall.Kind.PUBLISH, null),
                                Duration.ZERO,
                                "attempt 1 (worker w2:7) was in flight when its worker stopped")),
                row(
                        "a lost re-publish of a publish's missing providers is read back as a re-publish",
                        PUBLISH,
                        new Event.FoundInFlight(2, "w2:7", Duration.ofSeconds(40), TWITTER_LEFT),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(2, NOW.minusSeconds(40), LostCall.Kind.REPUBLISH, TWITTER_LEFT),
                                Duration.ZERO,
                                "attempt 2 (worker w2:7) was in flight when its worker stopped")),
                row(
                        "a lost refresh only read, so it is sent again",
                        REFRESH,
                        new Event.FoundInFlight(1, "w2:7", Duration.ofSeconds(40), null),
                        POLICY,
                        new Decision.SendAgain(
                                "attempt 1 (worker w2:7) was in flight when its worker stopped; a refresh only reads, so"
                                        + " it is sent again",
                                null)),
                // calls
                row(
                        "a success is recorded succeeded",
                        PUSH,
                        new Event.CallEnded(
                                1, null, new Classification.Success(), ANSWER, 200, false, NOW.minusSeconds(1), 0),
                        POLICY,
                        new Decision.Finish(CommandStatus.SUCCEEDED, ANSWER, null, 200, false)),
                row(
                        "a transient failure with attempts left is retried after its backoff",
                        PUSH,
                        call(1, transientFailure(503)),
                        POLICY,
                        new Decision.Retry(NOW.plusSeconds(1), "OneAll answered 503", 503, null)),
                row(
                        "a Retry-After longer than the backoff is honoured",
                        PUSH,
                        call(1, new Classification.Transient("429", 429, Optional.of(Duration.ofSeconds(7)))),
                        POLICY,
                        new Decision.Retry(NOW.plusSeconds(7), "429", 429, null)),
                row(
                        "a transient failure on the last attempt exhausts the command",
                        PUSH,
                        call(3, transientFailure(503)),
                        POLICY,
                        new Decision.DeadLetter(
                                ErrorClass.EXHAUSTED, "failed on all 3 attempts; last: OneAll answered 503", 503)),
                row(
                        "a transient failure while OneAll is down does not exhaust the command",
                        PUSH,
                        new Event.CallEnded(3, null, transientFailure(503), null, 503, true, NOW, 0),
                        POLICY,
                        new Decision.Retry(NOW.plusSeconds(4), "OneAll answered 503", 503, null)),
                row(
                        "a run of 429s does not exhaust a command within three times its attempts",
                        PUSH,
                        call(3, transientFailure(429)),
                        POLICY,
                        new Decision.Retry(NOW.plusSeconds(4), "OneAll answered 429", 429, null)),
                row(
                        "a replayed command gets a fresh budget of attempts",
                        PUSH,
                        new Event.CallEnded(4, null, transientFailure(503), null, 503, false, NOW, 3),
                        POLICY,
                        new Decision.Retry(NOW.plusSeconds(1), "OneAll answered 503", 503, null)),
                row(
                        "a permanent failure is dead-lettered at once",
                        PUSH,
                        call(1, new Classification.Permanent("404", 404)),
                        POLICY,
                        new Decision.DeadLetter(ErrorClass.PERMANENT, "404", 404)),
                row(
                        "a lost answer to a push is dead-lettered as an unknown outcome, never sent again",
                        PUSH,
                        call(1, UNKNOWN),
                        POLICY,
                        new Decision.DeadLetter(
                                ErrorClass.UNKNOWN_OUTCOME,
                                "attempt 1: no answer within 30000 ms; OneAll offers no way to read a push back",
                                null)),
                row(
                        "a lost answer to a push is retried with its backoff when unknown outcomes are retried",
                        PUSH,
                        call(1, UNKNOWN),
                        RETRY_UNKNOWN,
                        new Decision.Retry(
                                NOW.plusSeconds(1),
                                "attempt 1: no answer within 30000 ms; OneAll offers no way to read a push back; sent"
                                        + " again (HERALD_ON_UNKNOWN_OUTCOME=retry)",
                                null,
                                null)),
                row(
                        "a lost answer to a re-publish is read back once the call can no longer land: its claim older"
                                + " than the call timeout and the grace (claimed 1 s ago: 34 s more)",
                        REPUBLISH,
                        call(1, UNKNOWN),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(1, NOW.minusSeconds(1), LostCall.Kind.REPUBLISH, null),
                                Duration.ofSeconds(34),
                                "attempt 1: no answer within 30000 ms")),
                row(
                        "a call that ran into its timeout is read back a call timeout after it ended",
                        REPUBLISH,
                        new Event.CallEnded(1, null, UNKNOWN, null, null, false, NOW.minusSeconds(30), 0),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(1, NOW.minusSeconds(30), LostCall.Kind.REPUBLISH, null),
                                Duration.ofSeconds(30),
                                "attempt 1: no answer within 30000 ms")),
                row(
                        "a lost answer to a publish is read back by listing, once the call can no longer land",
                        PUBLISH,
                        call(1, UNKNOWN),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(1, NOW.minusSeconds(1), LostCall.Kind.PUBLISH, null),
                                Duration.ofSeconds(34),
                                "attempt 1: no answer within 30000 ms")),
                row(
                        "a lost answer to a delete is read back, once the call can no longer land",
                        DELETE,
                        call(1, UNKNOWN),
                        POLICY,
                        new Decision.ReadBack(
                                new LostCall(1, NOW.minusSeconds(1), LostCall.Kind.DELETE, null),
                                Duration.ofSeconds(34),
                                "attempt 1: no answer within 30000 ms")),
                row(
                        "a partial publish re-publishes its transiently failed providers alone",
                        PUBLISH,
                        call(
                                1,
                                new Classification.PartialSuccess(
                                        TOKEN, List.of("facebook"), List.of("twitter"), List.of())),
                        POLICY,
                        new Decision.Retry(
                                NOW.plusSeconds(1),
                                "publications failed transiently for twitter; re-publishing to them alone",
                                null,
                                TWITTER_LEFT)),
                row(
                        "a partial publish whose failures are permanent ends partial",
                        PUBLISH,
                        call(
                                1,
                                new Classification.PartialSuccess(
                                        TOKEN, List.of("facebook"), List.of(), List.of("twitter"))),
                        POLICY,
                        new Decision.Finish(
                                CommandStatus.PARTIAL, null, "publications failed for twitter for good", null, false)),
                row(
                        "a publish that reached no provider for good is dead-lettered, its message kept",
                        PUBLISH,
                        call(
                                1,
                                new Classification.PartialSuccess(
                                        TOKEN, List.of(), List.of(), List.of("facebook", "twitter"))),
                        POLICY,
                        new Decision.DeadLetter(
                                ErrorClass.PERMANENT,
                                "publications failed for facebook, twitter; no provider has the message",
                                null)),
                row(
                        "a re-publish of the missing providers that fails on its last attempt ends partial, not exhausted",
                        PUBLISH,
                        call(3, TWITTER_LEFT, transientFailure(503)),
                        POLICY,
                        new Decision.Finish(
                                CommandStatus.PARTIAL,
                                null,
                                "published to facebook, but not to twitter: failed on all 3 attempts; last: OneAll"
                                        + " answered 503",
                                503,
                                false)),
                row(
                        "a 401 or 403 is checked against the site's keys first",
                        PUSH,
                        call(1, new Classification.CredentialsSuspect("401", 401)),
                        POLICY,
                        new Decision.CheckSiteKeys(1, new Classification.CredentialsSuspect("401", 401))),
                row(
                        "rejected site keys hold the command and consumption, nothing is dead-lettered",
                        PUSH,
                        new Event.SiteKeysChecked(1, new Classification.CredentialsSuspect("401", 401), true),
                        POLICY,
                        new Decision.HoldForSiteKeys(
                                "OneAll rejects the site's keys (ONEALL_PUBLIC_KEY / ONEALL_PRIVATE_KEY)")),
                row(
                        "one identity's refused credentials hold that identity",
                        PUSH,
                        new Event.SiteKeysChecked(1, new Classification.CredentialsSuspect("401", 401), false),
                        POLICY,
                        new Decision.HoldIdentity(NOW.plus(Duration.ofHours(1)), "401", 401)),
                row(
                        "with holds switched off, refused credentials are a permanent failure",
                        PUSH,
                        new Event.SiteKeysChecked(1, new Classification.CredentialsSuspect("401", 401), false),
                        NO_HOLDS,
                        new Decision.DeadLetter(ErrorClass.PERMANENT, "401 (the site's keys are accepted)", 401)),
                row(
                        "a 401 of a delete, which has no identity, is a permanent failure",
                        DELETE,
                        new Event.SiteKeysChecked(1, new Classification.CredentialsSuspect("401", 401), false),
                        POLICY,
                        new Decision.DeadLetter(ErrorClass.PERMANENT, "401 (the site's keys are accepted)", 401)),
                // read-backs
                row(
                        "a lost call read back as done succeeded",
                        REPUBLISH,
                        new Event.ReadBack(
                                new LostCall(1, NOW, LostCall.Kind.REPUBLISH, null),
                                new ReadBackVerdict.TookEffect(null)),
                        POLICY,
                        new Decision.Finish(CommandStatus.SUCCEEDED, null, null, null, false)),
                row(
                        "a lost call read back as without effect is sent again",
                        REPUBLISH,
                        new Event.ReadBack(
                                new LostCall(1, NOW, LostCall.Kind.REPUBLISH, null), new ReadBackVerdict.NoEffect()),
                        POLICY,
                        new Decision.SendAgain(
                                "attempt 1 lost its answer; reading OneAll back shows it had no effect", null)),
                row(
                        "a lost re-publish read back as partly done is sent again to the missing providers only",
                        REPUBLISH,
                        new Event.ReadBack(
                                new LostCall(1, NOW, LostCall.Kind.REPUBLISH, null),
                                new ReadBackVerdict.Partly(TOKEN, List.of("facebook"), List.of("twitter"))),
                        POLICY,
                        new Decision.SendAgain(
                                "attempt 1 lost its answer; reading OneAll back shows it published to facebook only",
                                TWITTER_LEFT)),
                row(
                        "a lost call that reading back cannot settle is dead-lettered as an unknown outcome",
                        PUBLISH,
                        new Event.ReadBack(
                                new LostCall(1, NOW, LostCall.Kind.PUBLISH, null),
                                new ReadBackVerdict.Undecided("two match")),
                        POLICY,
                        new Decision.DeadLetter(
                                ErrorClass.UNKNOWN_OUTCOME,
                                "attempt 1 lost its answer and reading OneAll back could not settle it: two match",
                                null)),
                // records
                row(
                        "a success whose claim another worker settled meanwhile corrects that worker's unknown outcome",
                        PUSH,
                        new Event.Written(
                                new Decision.Finish(CommandStatus.SUCCEEDED, null, null, 200, false),
                                Event.Write.FENCED),
                        POLICY,
                        new Decision.CorrectLostCall(
                                new Decision.Finish(CommandStatus.SUCCEEDED, null, null, 200, false))),
                row(
                        "a failure whose claim changed meanwhile reads the ledger again at once, nothing sent: "
                                + "the claim's own late worker may have left it pending and lost the partition since",
                        PUSH,
                        new Event.Written(
                                new Decision.DeadLetter(ErrorClass.UNKNOWN_OUTCOME, "lost", null), Event.Write.FENCED),
                        POLICY,
                        new Decision.WaitForInFlight(
                                Duration.ZERO,
                                "its claim changed under this worker's record; reading the ledger again")),
                row(
                        "a call held back unsent whose claim another worker settled meanwhile is returned, guarded by its"
                                + " attempt: if it was counted an unknown outcome, it is sent once after all",
                        PUSH,
                        new Event.Written(
                                new Decision.Retry(java.time.Instant.EPOCH, "not sent", null, null),
                                Event.Write.FENCED,
                                3),
                        POLICY,
                        new Decision.ReturnUnsent(3, "attempt 3 was never sent: its worker held it back")),
                row(
                        "a correction whose claim another worker settled meanwhile is left: the lost call was settled",
                        PUSH,
                        new Event.Written(
                                new Decision.CorrectLostCall(
                                        new Decision.Finish(CommandStatus.SUCCEEDED, null, null, 200, false)),
                                Event.Write.FENCED),
                        POLICY,
                        new Decision.Drop("the lost call was settled otherwise")),
                row(
                        "an unsent call whose return another worker settled meanwhile is left: the lost call was settled",
                        PUSH,
                        new Event.Written(new Decision.ReturnUnsent(3, "held back"), Event.Write.FENCED),
                        POLICY,
                        new Decision.Drop("the lost call was settled otherwise")),
                row(
                        "a recorded outcome whose park the ledger left out is left to the partition's new owner",
                        PUSH,
                        new Event.Written(
                                new Decision.Retry(NOW.plusSeconds(1), "503", 503, null),
                                Event.Write.APPLIED_NOT_PARKED),
                        POLICY,
                        new Decision.Drop("the partition is another worker's now")),
                row(
                        "a recorded retry leaves its record parked until its time",
                        PUSH,
                        new Event.Written(
                                new Decision.Retry(NOW.plusSeconds(1), "503", 503, null), Event.Write.APPLIED),
                        POLICY,
                        new Decision.Stop(new Ending.Parked(NOW.plusSeconds(1)))),
                row(
                        "a recorded success leaves its record done",
                        PUSH,
                        new Event.Written(
                                new Decision.Finish(CommandStatus.SUCCEEDED, null, null, 200, false),
                                Event.Write.APPLIED),
                        POLICY,
                        new Decision.Stop(Ending.DONE)),
                row(
                        "a reopened lost call, once recorded, is claimed again",
                        PUSH,
                        new Event.Written(new Decision.SendAgain("no effect", null), Event.Write.APPLIED),
                        POLICY,
                        new Decision.Claim("no effect")),
                row(
                        "a hold for the site's keys, once recorded, waits until OneAll accepts them",
                        PUSH,
                        new Event.Written(new Decision.HoldForSiteKeys("keys"), Event.Write.APPLIED),
                        POLICY,
                        new Decision.AwaitSiteKeys()),
                row(
                        "a park the partition's new owner fenced is left to it",
                        PUSH,
                        new Event.Written(new Decision.ParkBehind(), Event.Write.FENCED),
                        POLICY,
                        new Decision.Drop("the partition is another worker's now")),
                row(
                        "a park refused for another body under the id is claimed, which finds the conflict",
                        PUSH,
                        new Event.Written(new Decision.ParkBehind(), Event.Write.REUSED_ID),
                        POLICY,
                        new Decision.Claim("its id is recorded with another body, which its claim finds")),
                row(
                        "a scheduled park leaves its record scheduled on its own",
                        PUSH,
                        new Event.Written(
                                new Decision.Wait(NOW.plusSeconds(60), true, "scheduled (not_before)"),
                                Event.Write.APPLIED),
                        POLICY,
                        new Decision.Stop(new Ending.Scheduled(NOW.plusSeconds(60)))),
                // what a claim that did not go through found, ranked with the clock's now
                row(
                        "a found row under another body is a reused id before anything else it says",
                        PUSH,
                        found(true, CommandStatus.SUCCEEDED, null, NOW.plusSeconds(60), true, null),
                        POLICY,
                        REUSED_ID),
                row(
                        "a found row that ended is acknowledged, whatever else holds",
                        PUSH,
                        found(false, CommandStatus.SUCCEEDED, null, NOW.plusSeconds(60), true, null),
                        POLICY,
                        new Decision.Acknowledge(CommandStatus.SUCCEEDED, 1)),
                row(
                        "a found row whose not_before is still ahead by the clock waits on its own, not behind its account",
                        PUSH,
                        found(false, CommandStatus.PENDING, null, NOW.plusSeconds(60), true, null),
                        POLICY,
                        new Decision.Wait(NOW.plusSeconds(60), true, "scheduled (not_before)")),
                row(
                        "a found row whose not_before has passed by the clock parks behind its waiting account",
                        PUSH,
                        found(false, CommandStatus.PENDING, null, NOW.minusSeconds(1), true, null),
                        POLICY,
                        new Decision.ParkBehind()),
                row(
                        "a found row waiting for its retry waits until its next attempt, not scheduled",
                        PUSH,
                        found(false, CommandStatus.PENDING, null, null, false, NOW.plusSeconds(5)),
                        POLICY,
                        new Decision.Wait(NOW.plusSeconds(5), false, "waiting for its retry")),
                row(
                        "a found row with no time of its own is looked at again a second later",
                        PUSH,
                        found(false, CommandStatus.PENDING, null, null, false, null),
                        POLICY,
                        new Decision.Wait(NOW.plusSeconds(1), false, "waiting for its retry")),
                row(
                        "a found row in flight under this very claim is this claim's: it is sent",
                        PUSH,
                        found(false, CommandStatus.IN_FLIGHT, "mine", null, false, null),
                        POLICY,
                        new Decision.Send(1, PUSH_CALL, new Expectation(Expectation.Kind.PUSH, null, List.of()), null)),
                // parks behind the account
                row(
                        "a record behind its account's held work parks behind it",
                        PUSH,
                        new Event.ArrivedBehind(),
                        POLICY,
                        new Decision.ParkBehind()),
                row(
                        "a record behind its account's held work whose not_before is ahead waits on its own, holding"
                                + " nothing",
                        SCHEDULED_PUSH,
                        new Event.ArrivedBehind(),
                        POLICY,
                        new Decision.Wait(NOW.plusSeconds(600), true, "scheduled (not_before)")),
                row(
                        "a record behind its account's held work whose not_before has passed parks behind it",
                        DUE_PUSH,
                        new Event.ArrivedBehind(),
                        POLICY,
                        new Decision.ParkBehind()),
                row(
                        "a write the database refused is tried again as it is",
                        PUSH,
                        new Event.WriteRefused(
                                new Decision.Finish(CommandStatus.SUCCEEDED, null, null, 200, false), 1, "refused"),
                        POLICY,
                        new Decision.Finish(CommandStatus.SUCCEEDED, null, null, 200, false)),
                row(
                        "a write the database refuses three times is recorded without OneAll's answer, so the command ends",
                        PUSH,
                        new Event.WriteRefused(
                                new Decision.Finish(CommandStatus.SUCCEEDED, ANSWER, null, 200, false), 3, "refused"),
                        POLICY,
                        new Decision.Finish(
                                CommandStatus.SUCCEEDED,
                                null,
                                "recorded without OneAll's answer: the database refused it 3 times (refused)",
                                200,
                                true)),
                row(
                        "a claim the database refuses three times dead-letters the command, which cannot be recorded",
                        PUSH,
                        new Event.WriteRefused(new Decision.Send(1, null, null, null), 3, "refused"),
                        POLICY,
                        new Decision.DeadLetter(
                                ErrorClass.INVALID,
                                "the database refuses to record this command 3 times (refused)",
                                null,
                                true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String guarantee, Command command, Event event, Policy policy, Decision expected) {
        assertThat(Decide.next(command, event, policy, NOW)).as(guarantee).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void every_decision_is_reached_by_a_row() {
        java.util.Set<Class<?>> reached = table().map(arguments -> {
                    var row = arguments.get();
                    return Decide.next((Command) row[1], (Event) row[2], (Policy) row[3], NOW)
                            .getClass();
                })
                .collect(java.util.stream.Collectors.toSet());

        assertThat(reached).containsAll(List.<Class<?>>of(Decision.class.getPermittedSubclasses()));
    }

    @org.junit.jupiter.api.Test
    void every_event_has_a_row() {
        java.util.Set<Class<?>> covered =
                table().map(arguments -> arguments.get()[2].getClass()).collect(java.util.stream.Collectors.toSet());

        assertThat(covered).containsAll(List.<Class<?>>of(Event.class.getPermittedSubclasses()));
    }
}
