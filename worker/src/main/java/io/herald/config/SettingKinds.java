package io.herald.config;

import io.herald.config.Setting.Need;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/** The kinds of values settings take, and how each is read and checked: {@link Settings} lists the settings. */
final class SettingKinds {
    private SettingKinds() {}

    static <T> Setting<T> required(String name, String description, Need needs, Function<String, T> parser) {
        return new Setting<>(name, null, "(required)", parser, false, description, needs);
    }

    static Setting<String> text(String name, String defaultValue, String description) {
        return new Setting<>(name, defaultValue, defaultValue, Function.identity(), false, description, Need.NONE);
    }

    static Setting<Integer> number(String name, int defaultValue, int min, int max, String description) {
        return new Setting<>(
                name,
                defaultValue,
                Integer.toString(defaultValue),
                value -> atMost(name, atLeast(name, Integer.parseInt(value), min), max),
                false,
                description,
                Need.NONE);
    }

    static Setting<Duration> millis(String name, long defaultValue, long min, String description) {
        return duration(name, defaultValue, min, ChronoUnit.MILLIS, description);
    }

    static Setting<Duration> seconds(String name, long defaultValue, String description) {
        return duration(name, defaultValue, 0, ChronoUnit.SECONDS, description);
    }

    static Setting<Duration> hours(String name, long defaultValue, String description) {
        return duration(name, defaultValue, 0, ChronoUnit.HOURS, description);
    }

    /** A duration given as a whole number of {@code unit}, at least {@code min}. */
    private static Setting<Duration> duration(
            String name, long defaultValue, long min, ChronoUnit unit, String description) {
        return new Setting<>(
                name,
                Duration.of(defaultValue, unit),
                Long.toString(defaultValue),
                value -> Duration.of(atLeast(name, Long.parseLong(value), min), unit),
                false,
                description,
                Need.NONE);
    }

    static Setting<Boolean> bool(String name, boolean defaultValue, String description) {
        return new Setting<>(
                name,
                defaultValue,
                Boolean.toString(defaultValue),
                value -> Boolean.parseBoolean(oneOf(value, "true", "false")),
                false,
                description,
                Need.NONE);
    }

    static <N extends Number & Comparable<N>> N atLeast(String name, N value, long min) {
        if (value.longValue() < min) {
            throw new ConfigException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static int atMost(String name, int value, int max) {
        if (value > max) {
            throw new ConfigException(name + " must be at most " + max + ", got " + value);
        }
        return value;
    }

    static String oneOf(String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException("expected " + String.join(", ", allowed));
        }
        return value;
    }

    static String jdbcUrl(String value) {
        if (!value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("expected a jdbc:postgresql: URL");
        }
        return value;
    }

    static URI httpUri(String value) {
        var uri = URI.create(value);
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http(s) URL such as https://mysite.api.oneall.com");
        }
        return uri;
    }
}
