package io.herald.store;

/** A command about to be sent, and where it was consumed from. */
public record ClaimRequest(String commandId, String type, String routingKey, String campaignId, String topic,
        int partition, long offset, String metadataJson) {}
