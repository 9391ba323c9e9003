package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * What a publish or re-publish achieved before it is retried: the sharing message (the one a publish created), the
 * providers still to publish to (empty for an identity, which has one) and those that succeeded. Kept in the ledger
 * ({@code commands.progress}), so that a retry, or a redelivery after a crash, re-publishes to the missing
 * providers alone and never publishes the message, or to a provider that succeeded, again.
 */
public record Progress(String sharingMessageToken, List<String> remainingProviders, List<String> succeededProviders) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Progress {
        if (sharingMessageToken == null || sharingMessageToken.isBlank()) {
            throw new IllegalArgumentException("progress names the message it was made on");
        }
        remainingProviders = List.copyOf(remainingProviders);
        succeededProviders = List.copyOf(succeededProviders);
    }

    /** Whether some provider has the message for the target already. */
    public boolean anySucceeded() {
        return !succeededProviders.isEmpty();
    }

    /** The progress kept in the ledger, or null when there is none. */
    public static Progress read(String json) {
        if (json == null) {
            return null;
        }
        try {
            var node = MAPPER.readTree(json);
            var token = node.path("sharing_message_token").asText(null);
            var providers = new java.util.ArrayList<String>();
            node.path("remaining_providers").forEach(provider -> providers.add(provider.asText()));
            var succeeded = new java.util.ArrayList<String>();
            node.path("succeeded_providers").forEach(provider -> succeeded.add(provider.asText()));
            return token == null ? null : new Progress(token, providers, succeeded);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable progress in the ledger: " + json, e);
        }
    }

    public JsonNode toJson() {
        var node = MAPPER.createObjectNode().put("sharing_message_token", sharingMessageToken);
        var providers = node.putArray("remaining_providers");
        remainingProviders.forEach(providers::add);
        var succeeded = node.putArray("succeeded_providers");
        succeededProviders.forEach(succeeded::add);
        return node;
    }
}
