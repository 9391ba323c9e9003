package io.herald.command.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** OneAll's RFC 2822 dates, read leniently: some documented examples lost the {@code +} of the offset. */
public final class OneAllDates {
    private OneAllDates() {}

    /** The instant, or null when the text is missing or unreadable (a date is never worth failing a record for). */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            var normalized = text.trim().replaceAll("\\s+", " ").replaceFirst(" (\\d{4})$", " +$1");
            try {
                return OffsetDateTime.parse(normalized, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
