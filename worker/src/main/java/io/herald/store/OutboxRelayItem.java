package io.herald.store;

/** An outbox message with its row's id: the relay sends it, then deletes the row. */
public record OutboxRelayItem(long id, OutboxMessage message) {}
