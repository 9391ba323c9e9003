package io.herald.sandbox;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sandbox's fault injection, as one immutable value that is swapped whole at run time. In JSON
 * ({@code PUT /sandbox/faults}) every field is optional and may be spelled in camelCase or snake_case.
 *
 * @param latencyMs       fixed delay before every answer
 * @param latencyJitterMs extra delay drawn from an exponential distribution with this mean (0: none)
 * @param errorRates      share of requests (0..1) answered with each status: 429, 500, 502, 503
 * @param retryAfterSeconds {@code Retry-After} sent with injected 429 and 503 answers (0: none)
 * @param outage          every request is answered 503 (a OneAll outage)
 * @param rules           per-token rules, checked before the random error rates
 * @param rateLimits      a token bucket per provider key ({@code twitter}, ...); a call beyond it is answered 429
 * @param anomalyRates    share of requests (0..1) answered with each {@link Anomaly}, drawn apart from the error rates
 * @param republishAnswer which publications a re-publish answer lists, or null for the sandbox's default
 */
public record Faults(
        @JsonAlias("latency_ms") long latencyMs,
        @JsonAlias("latency_jitter_ms") long latencyJitterMs,
        @JsonAlias("error_rates") Map<Integer, Double> errorRates,
        @JsonAlias("retry_after_seconds") int retryAfterSeconds,
        boolean outage,
        List<FaultRule> rules,
        @JsonAlias("rate_limits") Map<String, RateLimit> rateLimits,
        @JsonAlias("anomaly_rates") Map<Anomaly, Double> anomalyRates,
        @JsonAlias("republish_answer") RepublishAnswer republishAnswer) {

    public static final Faults NONE = new Faults(0, 0, Map.of(), 0, false, List.of());

    public Faults {
        if (latencyMs < 0 || latencyJitterMs < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("latency and Retry-After cannot be negative");
        }
        errorRates = errorRates == null ? Map.of() : Map.copyOf(new TreeMap<>(errorRates));
        for (var status : errorRates.keySet()) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an error rate maps a 4xx/5xx status to a share between 0 and 1");
            }
        }
        checkShares(errorRates, "error rates");
        anomalyRates = anomalyRates == null ? Map.of() : Map.copyOf(anomalyRates);
        checkShares(anomalyRates, "anomaly rates");
        rules = rules == null ? List.of() : List.copyOf(rules);
        rateLimits = rateLimits == null ? Map.of() : Map.copyOf(rateLimits);
    }

    /** Faults without rate limits, anomalies or a re-publish answer, as they were before those existed. */
    public Faults(
            long latencyMs,
            long latencyJitterMs,
            Map<Integer, Double> errorRates,
            int retryAfterSeconds,
            boolean outage,
            List<FaultRule> rules) {
        this(latencyMs, latencyJitterMs, errorRates, retryAfterSeconds, outage, rules, Map.of(), Map.of(), null);
    }

    private static void checkShares(Map<?, Double> shares, String what) {
        double total = 0;
        for (var share : shares.values()) {
            if (share == null || share < 0 || share > 1) {
                throw new IllegalArgumentException(what + " map to a share between 0 and 1");
            }
            total += share;
        }
        if (total > 1.0 + 1e-9) {
            throw new IllegalArgumentException(what + " add up to more than 1");
        }
    }

    public Faults withLatency(long fixedMs, long jitterMs) {
        return new Faults(
                fixedMs,
                jitterMs,
                errorRates,
                retryAfterSeconds,
                outage,
                rules,
                rateLimits,
                anomalyRates,
                republishAnswer);
    }

    public Faults withErrorRate(int status, double share) {
        var rates = new TreeMap<>(errorRates);
        rates.put(status, share);
        return new Faults(
                latencyMs,
                latencyJitterMs,
                rates,
                retryAfterSeconds,
                outage,
                rules,
                rateLimits,
                anomalyRates,
                republishAnswer);
    }

    public Faults withRetryAfter(int seconds) {
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                seconds,
                outage,
                rules,
                rateLimits,
                anomalyRates,
                republishAnswer);
    }

    public Faults withOutage(boolean down) {
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                retryAfterSeconds,
                down,
                rules,
                rateLimits,
                anomalyRates,
                republishAnswer);
    }

    public Faults withRule(FaultRule rule) {
        var all = new ArrayList<>(rules);
        all.add(rule);
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                retryAfterSeconds,
                outage,
                all,
                rateLimits,
                anomalyRates,
                republishAnswer);
    }

    public Faults withoutRules() {
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                retryAfterSeconds,
                outage,
                List.of(),
                rateLimits,
                anomalyRates,
                republishAnswer);
    }

    /** Limits the calls to one provider: {@code burst} at once, then {@code perSecond} a second. */
    public Faults withRateLimit(String provider, double perSecond, int burst) {
        var limits = new TreeMap<>(rateLimits);
        limits.put(provider, RateLimit.of(perSecond, burst));
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                retryAfterSeconds,
                outage,
                rules,
                limits,
                anomalyRates,
                republishAnswer);
    }

    public Faults withoutRateLimits() {
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                retryAfterSeconds,
                outage,
                rules,
                Map.of(),
                anomalyRates,
                republishAnswer);
    }

    /** Answers this share (0..1) of the requests the anomaly fits with it. */
    public Faults withAnomalyRate(Anomaly anomaly, double share) {
        var rates = new TreeMap<>(anomalyRates);
        rates.put(anomaly, share);
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                retryAfterSeconds,
                outage,
                rules,
                rateLimits,
                rates,
                republishAnswer);
    }

    /** Overrides the sandbox's re-publish answer (null: back to the sandbox's default). */
    public Faults withRepublishAnswer(RepublishAnswer answer) {
        return new Faults(
                latencyMs,
                latencyJitterMs,
                errorRates,
                retryAfterSeconds,
                outage,
                rules,
                rateLimits,
                anomalyRates,
                answer);
    }
}
