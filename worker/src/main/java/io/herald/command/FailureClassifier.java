package io.herald.command;

import io.herald.command.api.Answers;
import io.herald.command.api.CallResult;
import io.herald.command.api.Publication;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides what a OneAll answer or failure means (docs/processing.md), table-driven:
 *
 * <table>
 * <tr><th>result</th><th>a call with an effect (POST, DELETE)</th><th>a read (GET)</th></tr>
 * <tr><td>200, 201, 207 with OneAll's envelope, flag success</td><td>success; a publish or re-publish is judged by its
 * target's publications (partial when some failed); a publish without a message token is unknown</td><td>success</td></tr>
 * <tr><td>2xx with {@code status.flag = error}</td><td>unknown outcome</td><td>transient</td></tr>
 * <tr><td>2xx that is not OneAll's envelope (a proxy's page)</td><td>unknown outcome</td><td>transient</td></tr>
 * <tr><td>429, 500, 502, 503 (with or without the envelope)</td><td colspan="2">transient, honouring {@code Retry-After}</td></tr>
 * <tr><td>504</td><td>unknown outcome</td><td>transient</td></tr>
 * <tr><td>401, 403 with the envelope</td><td colspan="2">credentials suspect: checked against {@code /tools/ping.json}</td></tr>
 * <tr><td>any other status</td><td colspan="2">permanent</td></tr>
 * <tr><td>no connection made, or not sent</td><td colspan="2">transient</td></tr>
 * <tr><td>timeout or connection lost after sending</td><td>unknown outcome</td><td>transient</td></tr>
 * </table>
 */
public final class FailureClassifier {
    static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 500, 502, 503);
    static final Set<Integer> TRANSIENT_PUBLICATION_CODES = Set.of(429, 500, 502, 503, 504);

    private FailureClassifier() {}

    public static Classification classify(CallResult result, Expectation expectation) {
        boolean read = expectation.idempotent();
        if (result instanceof CallResult.NotSent notSent) {
            return new Classification.Transient("not sent: " + notSent.reason(), null, Optional.empty());
        }
        if (result instanceof CallResult.MaybeSent maybeSent) {
            return read
                    ? new Classification.Transient(maybeSent.reason(), null, Optional.empty())
                    : new Classification.Unknown(maybeSent.reason() + "; OneAll may have carried it out", null);
        }
        if (result instanceof CallResult.NotOneAll other) {
            return notOneAll(other, read);
        }
        var answered = (CallResult.Answered) result;
        int status = answered.httpStatus();
        var reason = "OneAll answered " + status + (answered.info() == null ? "" : ": " + answered.info());
        if (TRANSIENT_STATUSES.contains(status)) {
            return new Classification.Transient(reason, status, answered.retryAfter());
        }
        if (status >= 200 && status < 300) {
            if ("error".equals(answered.flag())) {
                return read
                        ? new Classification.Transient(reason + " (status flag error)", status, Optional.empty())
                        : new Classification.Unknown(
                                reason + " with status flag error; OneAll may have carried it out", status);
            }
            return success(answered, expectation);
        }
        if (status == 504) {
            return read
                    ? new Classification.Transient(reason, status, answered.retryAfter())
                    : new Classification.Unknown(reason + "; OneAll may have carried it out", status);
        }
        if (status == 401 || status == 403) {
            return new Classification.CredentialsSuspect(reason, status);
        }
        return new Classification.Permanent(reason, status);
    }

    /**
     * What a call's result (null when there is none) tells of OneAll, for the outage breaker and the providers' limits:
     * an answer below 500 says it is up (a 429 only with OneAll's envelope, which then throttles the providers); a 5xx,
     * a 429 without the envelope, no connection or no answer is what an outage would explain; a call held back late,
     * unsent, says nothing.
     */
    public static CallSignal signal(CallResult result) {
        if (result instanceof CallResult.Answered answered && answered.httpStatus() < 500) {
            return answered.httpStatus() == 429
                    ? new CallSignal.Throttled(answered.retryAfter())
                    : answered.httpStatus() < 300 ? new CallSignal.Succeeded() : new CallSignal.Answered();
        } else if (result instanceof CallResult.NotOneAll other
                && other.httpStatus() < 500
                && other.httpStatus() != 429) {
            return other.httpStatus() < 300 ? new CallSignal.Succeeded() : new CallSignal.Answered();
        } else if (result == null || result instanceof CallResult.NotSent notSent && notSent.late()) {
            return new CallSignal.Silent();
        }
        return new CallSignal.Failed();
    }

    private static Classification notOneAll(CallResult.NotOneAll other, boolean read) {
        int status = other.httpStatus();
        var reason = "HTTP " + status + " without OneAll's envelope ("
                + (other.contentType() == null ? "no content type" : other.contentType())
                + (other.excerpt().isEmpty() ? "" : ": " + other.excerpt()) + ")";
        if (TRANSIENT_STATUSES.contains(status) || read && (status == 504 || status < 300)) {
            return new Classification.Transient(reason, status, other.retryAfter());
        }
        if (status < 300 || status == 504) {
            return new Classification.Unknown(reason + "; OneAll may have carried it out", status);
        }
        return new Classification.Permanent(reason, status);
    }

    /** A 2xx with the envelope: what the call's own target got. */
    private static Classification success(CallResult.Answered answered, Expectation expectation) {
        var kind = expectation.kind();
        if (kind != Expectation.Kind.PUBLISH && kind != Expectation.Kind.REPUBLISH) {
            return new Classification.Success();
        }
        var message = Answers.message(answered.data());
        if (kind == Expectation.Kind.PUBLISH
                && (message.isEmpty() || message.get().token() == null)) {
            return new Classification.Unknown(
                    "OneAll answered " + answered.httpStatus()
                            + " to a publish without the new message's sharing_message_token; the message may exist",
                    answered.httpStatus());
        }
        var token = message.map(m -> m.token()).orElse(null);
        var judged = judge(message.map(m -> m.publications()).orElse(List.of()), expectation);
        if (answered.httpStatus() == 207 && !judged.mentionsEveryAsked(expectation)) {
            return new Classification.Unknown(
                    "OneAll answered 207 (some publications failed) without a publication of every provider"
                            + " asked for this target; which of them failed cannot be told",
                    answered.httpStatus());
        }
        if (judged.transients.isEmpty() && judged.permanents.isEmpty()) {
            return new Classification.Success();
        }
        return new Classification.PartialSuccess(
                token, List.copyOf(judged.succeeded), List.copyOf(judged.transients), List.copyOf(judged.permanents));
    }

    private record Judged(
            Set<String> succeeded, Set<String> transients, Set<String> permanents, Set<String> mentioned) {
        /** Whether the answer has a publication for the target of each provider asked (of any, for an identity). */
        boolean mentionsEveryAsked(Expectation expectation) {
            return expectation.providers().isEmpty()
                    ? !mentioned.isEmpty()
                    : mentioned.containsAll(expectation.providers());
        }
    }

    /**
     * The target's publications, by provider: a provider with any successful publication for the target succeeded
     * (whether the answer lists the whole message or only this call's publications, and whatever failed before);
     * otherwise its latest failure says whether it may succeed later. A provider the answer does not mention is
     * taken as OneAll's HTTP status says: done after a 200; after a 207 it is not known (see {@link #success}).
     */
    private static Judged judge(List<Publication> publications, Expectation expectation) {
        var succeeded = new LinkedHashSet<String>();
        var mentioned = new LinkedHashSet<String>();
        var failures = new java.util.LinkedHashMap<String, Publication>();
        for (var publication : publications) {
            if (!publication.isFor(expectation.target())) {
                continue;
            }
            mentioned.add(publication.provider());
            if (publication.succeeded()) {
                succeeded.add(publication.provider());
            } else {
                failures.merge(publication.provider(), publication, FailureClassifier::later);
            }
        }
        var transients = new LinkedHashSet<String>();
        var permanents = new LinkedHashSet<String>();
        for (var failure : failures.values()) {
            if (succeeded.contains(failure.provider()) || !asked(expectation, failure.provider())) {
                continue;
            }
            (failure.code() != null && TRANSIENT_PUBLICATION_CODES.contains(failure.code()) ? transients : permanents)
                    .add(failure.provider());
        }
        return new Judged(succeeded, transients, permanents, mentioned);
    }

    private static boolean asked(Expectation expectation, String provider) {
        return expectation.providers().isEmpty() || expectation.providers().contains(provider);
    }

    private static Publication later(Publication a, Publication b) {
        if (a.datePublication() == null || b.datePublication() == null) {
            return b;
        }
        return b.datePublication().isBefore(a.datePublication()) ? a : b;
    }

    /** The providers of {@code asked} that a judged answer left to do. */
    static List<String> remaining(List<String> asked, Classification.PartialSuccess partial) {
        var remaining = new ArrayList<>(asked);
        remaining.removeAll(partial.succeeded());
        remaining.removeAll(partial.permanents());
        return remaining;
    }
}
