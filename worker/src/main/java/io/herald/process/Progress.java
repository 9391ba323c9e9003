package io.herald.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a publish achieved before it is retried: the sharing message OneAll created and the providers
 * still to publish to. Kept in the ledger, so that a retry, or a redelivery after a crash, re-publishes
 * to those providers alone and never publishes the message again.
 */
record Progress(String sharingMessageToken, List<String> remainingProviders) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    Progress {
        remainingProviders = List.copyOf(remainingProviders);
    }

    static Progress read(String json) {
        if (json == null) {
            return null;
        }
        try {
            var node = MAPPER.readTree(json);
            var token = node.path("sharing_message_token").asText(null);
            var providers = new ArrayList<String>();
            node.path("remaining_providers").forEach(provider -> providers.add(provider.asText()));
            return token == null || providers.isEmpty() ? null : new Progress(token, providers);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable progress in the ledger: " + json, e);
        }
    }

    JsonNode toJson() {
        var node = MAPPER.createObjectNode().put("sharing_message_token", sharingMessageToken);
        var providers = node.putArray("remaining_providers");
        remainingProviders.forEach(providers::add);
        return node;
    }
}
