package io.herald.schema;

import java.util.ArrayList;
import java.util.List;

/** The top-level fields each command type may have: the envelope's and its own. */
final class TypeFields {
    static final List<String> ENVELOPE =
            List.of("command_id", "type", "created_at", "not_before", "campaign_id", "metadata");

    private TypeFields() {}

    static List<String> of(CommandType type) {
        var fields = new ArrayList<>(ENVELOPE);
        fields.addAll(
                switch (type) {
                    case PUBLISH -> List.of("sharing_message");
                    case REPUBLISH -> List.of("sharing_message_token", "sharing_message");
                    case PUSH -> List.of("identity_token", "endpoint", "push");
                    case DELETE, REFRESH -> List.of("sharing_message_token");
                    case CAMPAIGN -> List.of("sharing_message", "recipients", "recipient_offset");
                });
        return fields;
    }
}
