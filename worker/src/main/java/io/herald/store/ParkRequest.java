package io.herald.store;

import java.time.Instant;

/**
 * A command put in the parking table without a call: behind its account's waiting command ({@code behind}), or
 * until {@code dueAt} (its schedule, or a retry another worker recorded).
 */
public record ParkRequest(
        CommandRef command, Source source, byte[] payload, Instant dueAt, boolean scheduled, boolean behind) {}
