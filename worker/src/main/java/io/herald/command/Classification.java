package io.herald.command;

import java.time.Duration;
import java.util.Optional;

/** How {@link FailureClassifier} reads a {@link CallResult}. */
public sealed interface Classification {
    /** OneAll did what was asked (every publication, for a publish). */
    record Success() implements Classification {}

    /** Some publications of a publish failed; {@code transientProviders} may succeed later. */
    record PartialSuccess(java.util.List<String> transientProviders) implements Classification {}

    /** May succeed later: retry after at least {@code retryAfter} when OneAll said so. */
    record Transient(String reason, Integer httpStatus, Optional<Duration> retryAfter) implements Classification {}

    /** Cannot succeed: dead-letter without retry. */
    record Permanent(String reason, int httpStatus) implements Classification {}

    /** The request may have been carried out; its answer was lost. */
    record Unknown(String reason) implements Classification {}

    /** A 401: the command's own fault, or the site's keys rejected; the caller asks {@code /tools/ping.json}. */
    record CredentialsSuspect(String reason) implements Classification {}
}
