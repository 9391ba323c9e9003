package io.herald.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** OneAll's date format, e.g. {@code Tue, 20 Dec 2011 19:20:30 +0100}. */
final class Rfc2822 {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    private Rfc2822() {}

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
