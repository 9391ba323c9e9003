package io.herald.store;

/**
 * Which command a ledger write is about: its id and what the {@code commands} row says of it besides its status.
 *
 * @param endpoint     a push's endpoint path, else null
 * @param metadataJson the command's metadata as JSON, or null when it has none
 */
public record CommandRef(
        String commandId, String type, String routingKey, String campaignId, String endpoint, String metadataJson) {}
