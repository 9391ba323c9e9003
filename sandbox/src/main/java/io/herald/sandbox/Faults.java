package io.herald.sandbox;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sandbox's fault injection, as one immutable value that is swapped whole at run time.
 *
 * @param latencyMs       fixed delay before every answer
 * @param latencyJitterMs extra delay drawn from an exponential distribution with this mean (0: none)
 * @param errorRates      share of requests (0..1) answered with each status: 429, 500, 502, 503
 * @param retryAfterSeconds {@code Retry-After} sent with injected 429 and 503 answers (0: none)
 * @param outage          every request is answered 503 (a OneAll outage)
 * @param rules           per-token rules, checked before the random error rates
 */
public record Faults(long latencyMs, long latencyJitterMs, Map<Integer, Double> errorRates,
        int retryAfterSeconds, boolean outage, List<FaultRule> rules) {

    public static final Faults NONE = new Faults(0, 0, Map.of(), 0, false, List.of());

    public Faults {
        if (latencyMs < 0 || latencyJitterMs < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("latency and Retry-After cannot be negative");
        }
        errorRates = errorRates == null ? Map.of() : Map.copyOf(new TreeMap<>(errorRates));
        double total = 0;
        for (var rate : errorRates.entrySet()) {
            if (rate.getKey() < 400 || rate.getKey() > 599 || rate.getValue() < 0 || rate.getValue() > 1) {
                throw new IllegalArgumentException("an error rate maps a 4xx/5xx status to a share between 0 and 1");
            }
            total += rate.getValue();
        }
        if (total > 1.0 + 1e-9) {
            throw new IllegalArgumentException("error rates add up to more than 1");
        }
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public Faults withLatency(long fixedMs, long jitterMs) {
        return new Faults(fixedMs, jitterMs, errorRates, retryAfterSeconds, outage, rules);
    }

    public Faults withErrorRate(int status, double share) {
        var rates = new TreeMap<>(errorRates);
        rates.put(status, share);
        return new Faults(latencyMs, latencyJitterMs, rates, retryAfterSeconds, outage, rules);
    }

    public Faults withRetryAfter(int seconds) {
        return new Faults(latencyMs, latencyJitterMs, errorRates, seconds, outage, rules);
    }

    public Faults withOutage(boolean down) {
        return new Faults(latencyMs, latencyJitterMs, errorRates, retryAfterSeconds, down, rules);
    }

    public Faults withRule(FaultRule rule) {
        var all = new java.util.ArrayList<>(rules);
        all.add(rule);
        return new Faults(latencyMs, latencyJitterMs, errorRates, retryAfterSeconds, outage, all);
    }

    public Faults withoutRules() {
        return new Faults(latencyMs, latencyJitterMs, errorRates, retryAfterSeconds, outage, List.of());
    }
}
