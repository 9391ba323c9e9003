package io.herald.sandbox;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Applies the current {@link Faults} to each call: what answers instead of the site, and what distorts its answer. */
final class FaultInjector {
    /**
     * The faults' decision for one call that reached the sandbox with valid keys.
     *
     * @param preempted the answer given instead of carrying the call out, or null
     * @param hang      carry the call out but never answer
     * @param distortion an anomaly to apply to the site's answer, or null
     * @param afterEffect a rule whose status answers the call once it was carried out, or null
     */
    record Decision(Answer preempted, boolean hang, Anomaly distortion, FaultRule afterEffect) {
        static final Decision PROCEED = new Decision(null, false, null, null);

        static Decision preempt(Answer answer) {
            return new Decision(answer, false, null, null);
        }
    }

    private final Map<FaultRule, AtomicInteger> ruleMatches = new ConcurrentHashMap<>();
    private final RateLimiter rateLimiter;
    private volatile Faults faults = Faults.NONE;

    FaultInjector(Clock clock) {
        this.rateLimiter = new RateLimiter(clock);
    }

    Faults faults() {
        return faults;
    }

    /** Replaces the faults; rule counters start again and rate-limit buckets are full again. */
    void set(Faults replacement) {
        ruleMatches.clear();
        rateLimiter.reset();
        this.faults = replacement;
    }

    /** Decides for the call; {@code providers} (those it publishes to) are asked for only when rate limits are set. */
    Decision decide(ApiCall call, Supplier<Collection<String>> providers) {
        var current = faults;
        if (current.outage()) {
            return Decision.preempt(Answer.fault(
                    503,
                    "The API is overloaded with requests (sandbox outage)",
                    "outage",
                    current.retryAfterSeconds()));
        }
        if (!current.rateLimits().isEmpty()) {
            var concerned = providers.get();
            int wait = rateLimiter.admit(current.rateLimits(), concerned);
            if (wait > 0) {
                return Decision.preempt(Answer.fault(
                        429,
                        "You have send too many requests in a given amount of time" + " (sandbox rate limit of "
                                + String.join(", ", concerned) + ")",
                        "rate_limit",
                        wait));
            }
        }
        var rule = matchingRule(current, call, null);
        if (rule != null && rule.afterEffect()) {
            return new Decision(null, false, null, rule);
        }
        if (rule != null && rule.anomaly() == null && !rule.hang()) {
            return Decision.preempt(Answer.fault(
                    rule.status(), "Sandbox fault rule for " + rule.token(), "rule", rule.retryAfterSeconds()));
        }
        int injected = draw(current.errorRates(), 0);
        if (injected != 0) {
            return Decision.preempt(Answer.fault(
                    injected,
                    "Sandbox injected error " + injected,
                    "rate",
                    injected == 429 || injected == 503 ? current.retryAfterSeconds() : 0));
        }
        var anomaly = rule != null && rule.anomaly() != null ? rule.anomaly() : draw(current.anomalyRates(), null);
        if (anomaly != null && !anomaly.effectCarriedOut()) {
            return Decision.preempt(Answer.anomalous(anomaly));
        }
        boolean hang = rule != null && rule.hang();
        return hang || anomaly != null ? new Decision(null, hang, anomaly, null) : Decision.PROCEED;
    }

    /** The status of one provider's publication by the provider rules: 0 for success. */
    int publicationStatus(ApiCall call, String provider) {
        var rule = matchingRule(faults, call, provider);
        return rule == null || rule.hang() || rule.afterEffect() ? 0 : rule.status();
    }

    long delayMillis() {
        var current = faults;
        long delay = current.latencyMs();
        if (current.latencyJitterMs() > 0) {
            double u = ThreadLocalRandom.current().nextDouble();
            delay += (long) (-Math.log(1 - u) * current.latencyJitterMs());
        }
        return delay;
    }

    private FaultRule matchingRule(Faults current, ApiCall call, String provider) {
        for (var rule : current.rules()) {
            boolean tokenMatches =
                    rule.token().equals(call.pathToken()) || rule.token().equals(call.target());
            boolean providerMatches = provider == null ? rule.provider() == null : provider.equals(rule.provider());
            if (tokenMatches && providerMatches) {
                if (rule.failFirst() == 0) {
                    return rule;
                }
                int matched = ruleMatches
                        .computeIfAbsent(rule, r -> new AtomicInteger())
                        .incrementAndGet();
                if (matched <= rule.failFirst()) {
                    return rule;
                }
            }
        }
        return null;
    }

    /** One draw among shares that add up to at most 1: the key drawn, or {@code none}. */
    private static <K> K draw(Map<K, Double> shares, K none) {
        if (shares.isEmpty()) {
            return none;
        }
        double draw = ThreadLocalRandom.current().nextDouble();
        double cumulative = 0;
        for (var share : shares.entrySet()) {
            cumulative += share.getValue();
            if (draw < cumulative) {
                return share.getKey();
            }
        }
        return none;
    }
}
