package io.herald.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Fixed caps of OneAll calls per second by provider key ({@code HERALD_RATE_LIMITS=twitter=100,facebook=50}). */
public record RateLimits(Map<String, Double> perSecond) {
    public static final RateLimits NONE = new RateLimits(Map.of());
    private static final Pattern ENTRY = Pattern.compile("([a-z][a-z0-9_]{0,31})=(\\d{1,7}(?:\\.\\d{1,3})?)");

    public RateLimits {
        perSecond = Map.copyOf(perSecond);
    }

    static RateLimits parse(String value) {
        var limits = new TreeMap<String, Double>();
        for (var entry : value.split(",")) {
            var matcher = ENTRY.matcher(entry.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches() || Double.parseDouble(matcher.group(2)) <= 0) {
                throw new IllegalArgumentException(
                        "expected provider=calls_per_second[,...], e.g. twitter=100,facebook=50; got '" + entry.trim()
                                + "'");
            }
            limits.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return new RateLimits(limits);
    }

    @Override
    public String toString() {
        if (perSecond.isEmpty()) {
            return "(none)";
        }
        var text = new StringBuilder();
        new TreeMap<>(perSecond)
                .forEach((provider, rate) -> text.append(text.length() == 0 ? "" : ",")
                        .append(provider)
                        .append('=')
                        .append(rate % 1 == 0 ? Long.toString(rate.longValue()) : rate.toString()));
        return text.toString();
    }
}
