package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides what a OneAll answer or failure means (contract §3), table-driven:
 *
 * <table>
 * <tr><th>result</th><th>classification</th></tr>
 * <tr><td>200, 201</td><td>success (a publish with a failed publication: partial)</td></tr>
 * <tr><td>207</td><td>partial: publications read one by one</td></tr>
 * <tr><td>429, 500, 502, 503</td><td>transient, honouring {@code Retry-After}</td></tr>
 * <tr><td>504</td><td>unknown outcome (transient for an idempotent GET)</td></tr>
 * <tr><td>401</td><td>credentials suspect: checked against {@code /tools/ping.json}</td></tr>
 * <tr><td>any other status</td><td>permanent</td></tr>
 * <tr><td>no connection made</td><td>transient</td></tr>
 * <tr><td>timeout or connection lost after sending</td><td>unknown outcome (transient for an idempotent GET)</td></tr>
 * </table>
 */
public final class FailureClassifier {
    static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 500, 502, 503);
    static final Set<Integer> TRANSIENT_PUBLICATION_CODES = Set.of(429, 500, 502, 503, 504);

    private FailureClassifier() {}

    /**
     * @param idempotent whether sending the request twice has no further effect (a GET)
     */
    public static Classification classify(CallResult result, boolean idempotent) {
        if (result instanceof CallResult.NotSent notSent) {
            return new Classification.Transient("not sent: " + notSent.reason(), null, Optional.empty());
        }
        if (result instanceof CallResult.MaybeSent maybeSent) {
            return idempotent
                    ? new Classification.Transient(maybeSent.reason(), null, Optional.empty())
                    : new Classification.Unknown(maybeSent.reason());
        }
        var answered = (CallResult.Answered) result;
        int status = answered.httpStatus();
        var reason = describe(answered);
        if (status == 200 || status == 201 || status == 207) {
            return publications(answered.data());
        }
        if (TRANSIENT_STATUSES.contains(status)) {
            return new Classification.Transient(reason, status, answered.retryAfter());
        }
        if (status == 504) {
            return idempotent ? new Classification.Transient(reason, status, answered.retryAfter())
                    : new Classification.Unknown(reason);
        }
        if (status == 401) {
            return new Classification.CredentialsSuspect(reason);
        }
        return new Classification.Permanent(reason, status);
    }

    /** A publish's answer carries one status per publication: read them one by one. */
    private static Classification publications(JsonNode data) {
        var failed = failedPublications(data);
        if (failed.transientProviders.isEmpty() && failed.permanentCount == 0) {
            return new Classification.Success();
        }
        return new Classification.PartialSuccess(failed.transientProviders);
    }

    private record Failed(java.util.List<String> transientProviders, int permanentCount) {}

    private static Failed failedPublications(JsonNode data) {
        var transientProviders = new ArrayList<String>();
        int permanent = 0;
        for (var publication : Publications.entries(data)) {
            var status = publication.path("status");
            if (status.isMissingNode() || "success".equals(status.path("flag").asText("success"))) {
                continue;
            }
            int code = status.path("code").asInt(0);
            if (TRANSIENT_PUBLICATION_CODES.contains(code)) {
                transientProviders.add(publication.path("provider").asText());
            } else {
                permanent++;
            }
        }
        return new Failed(transientProviders, permanent);
    }

    private static String describe(CallResult.Answered answered) {
        var info = answered.info() == null ? "" : ": " + answered.info();
        return "OneAll answered " + answered.httpStatus() + info;
    }
}
