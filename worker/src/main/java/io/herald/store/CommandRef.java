package io.herald.store;

/**
 * Which command a ledger write is about: its id and what the {@code commands} row says of it besides its status.
 *
 * @param endpoint     a push's endpoint path, else null
 * @param metadataJson the command's metadata as JSON, or null when it has none
 * @param digest       the SHA-256 of its canonical body ({@code BodyDigest}), which the row keeps from its first
 *                     record; null when there is no body to digest (an invalid record, a campaign part)
 */
public record CommandRef(
        String commandId,
        String type,
        String routingKey,
        String campaignId,
        String endpoint,
        String metadataJson,
        byte[] digest) {
    /** A command without a digest. */
    public CommandRef(
            String commandId, String type, String routingKey, String campaignId, String endpoint, String metadataJson) {
        this(commandId, type, routingKey, campaignId, endpoint, metadataJson, null);
    }
}
