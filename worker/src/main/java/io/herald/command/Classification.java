package io.herald.command;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How {@link FailureClassifier} reads a call's result. */
public sealed interface Classification {
    /** OneAll did what was asked (for a publish or re-publish: for every provider asked for). */
    record Success() implements Classification {}

    /**
     * A publish or re-publish that reached some of the target's providers and not others; the message exists.
     *
     * @param token      the message's token (the one a publish created, or the one re-published)
     * @param succeeded  providers with a successful publication for the target
     * @param transients providers whose publication failed in a way that may not happen again
     * @param permanents providers whose publication failed for good
     */
    record PartialSuccess(String token, List<String> succeeded, List<String> transients, List<String> permanents)
            implements Classification {
        public PartialSuccess {
            succeeded = List.copyOf(succeeded);
            transients = List.copyOf(transients);
            permanents = List.copyOf(permanents);
        }
    }

    /** May succeed later: retry after at least {@code retryAfter} when OneAll said so. */
    record Transient(String reason, Integer httpStatus, Optional<Duration> retryAfter) implements Classification {}

    /** Cannot succeed: dead-letter without retry. */
    record Permanent(String reason, Integer httpStatus) implements Classification {}

    /** The request may have been carried out; its answer was lost or cannot be read. */
    record Unknown(String reason, Integer httpStatus) implements Classification {}

    /** A 401 or 403: the site's keys or the identity's credentials; the caller asks {@code /tools/ping.json} which. */
    record CredentialsSuspect(String reason, int httpStatus) implements Classification {}

    /** The reason in words, for logs and records. */
    default String describe() {
        if (this instanceof Transient t) {
            return t.reason();
        } else if (this instanceof Permanent p) {
            return p.reason();
        } else if (this instanceof Unknown u) {
            return u.reason();
        } else if (this instanceof CredentialsSuspect c) {
            return c.reason();
        } else if (this instanceof PartialSuccess p) {
            return "published to " + (p.succeeded().isEmpty() ? "none" : String.join(", ", p.succeeded()))
                    + "; failed for " + String.join(", ", concat(p.transients(), p.permanents()));
        }
        return "succeeded";
    }

    /** The class an attempt that ended so is recorded with, or null for a success. */
    default ErrorClass attemptClass() {
        if (this instanceof Transient || this instanceof PartialSuccess) {
            return ErrorClass.TRANSIENT;
        } else if (this instanceof Permanent) {
            return ErrorClass.PERMANENT;
        } else if (this instanceof Unknown) {
            return ErrorClass.UNKNOWN_OUTCOME;
        } else if (this instanceof CredentialsSuspect) {
            return ErrorClass.CREDENTIALS;
        }
        return null;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
