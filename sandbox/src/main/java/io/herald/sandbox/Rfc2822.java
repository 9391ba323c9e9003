package io.herald.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * OneAll's date format, e.g. {@code Tue, 20 Dec 2011 19:20:30 +0100}. A whole-message answer dates each of its
 * publications, most of them within the same few seconds, so the texts of recent seconds are kept.
 */
final class Rfc2822 {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final int SLOTS = 1024;
    private static final AtomicReferenceArray<Formatted> RECENT = new AtomicReferenceArray<>(SLOTS);

    private record Formatted(long second, String text) {}

    private Rfc2822() {}

    static String format(Instant instant) {
        long second = instant.getEpochSecond();
        int slot = (int) Math.floorMod(second, (long) SLOTS);
        var known = RECENT.get(slot);
        if (known != null && known.second() == second) {
            return known.text();
        }
        var text = FORMAT.format(instant);
        RECENT.set(slot, new Formatted(second, text));
        return text;
    }
}
