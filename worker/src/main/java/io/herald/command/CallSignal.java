package io.herald.command;

import java.time.Duration;
import java.util.Optional;

/**
 * What a call's result tells of OneAll itself, beside what it means for the command ({@link Classification}): read by
 * {@link FailureClassifier#signal} alone, and fed to the outage breaker and the providers' limits.
 */
public sealed interface CallSignal {

    /** OneAll answered and the call went through (2xx, with or without its envelope): up, and the providers too. */
    record Succeeded() implements CallSignal {}

    /** OneAll answered 429 with its envelope: up, and the call's providers are throttled for {@code retryAfter}. */
    record Throttled(Optional<Duration> retryAfter) implements CallSignal {}

    /**
     * Something answered below 500 and the call did not go through (a 3xx or 4xx, 401 and 403 too; a 429 only with
     * OneAll's envelope): OneAll is up, and nothing is said of the providers.
     */
    record Answered() implements CallSignal {}

    /** What an outage would explain: a 5xx (504 too), a 429 without OneAll's envelope, no connection, or no answer. */
    record Failed() implements CallSignal {}

    /** Nothing about OneAll: this worker held the call back itself, unsent, or there is no result. */
    record Silent() implements CallSignal {}
}
