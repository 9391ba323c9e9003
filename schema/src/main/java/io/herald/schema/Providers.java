package io.herald.schema;

import java.util.Set;

/** The social networks Herald publishes to: those with a OneAll Push API, which the sharing API publishes to as well. */
public final class Providers {
    public static final Set<String> KEYS = Set.of("facebook", "linkedin", "pinterest", "twitter", "youtube");

    private Providers() {}

    public static boolean isKnown(String provider) {
        return KEYS.contains(provider);
    }
}
