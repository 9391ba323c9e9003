package io.herald.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.schema.Command;
import io.herald.store.OutcomeRecord;

/** What a successful call changed on OneAll's side, read from its {@code result.data}, for the reporting tables. */
final class Effects {
    private Effects() {}

    static OutcomeRecord.Effect of(Command command, JsonNode data) {
        if (command instanceof Command.Publish publish) {
            var token = messageToken(data);
            return token == null ? null : new OutcomeRecord.Effect.Published(token, publish.sharingMessage().get("parts"), data, true);
        } else if (command instanceof Command.Republish republish) {
            var token = messageToken(data);
            return new OutcomeRecord.Effect.Published(token != null ? token : republish.sharingMessageToken(), null,
                    data == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : data, false);
        } else if (command instanceof Command.Push push) {
            return new OutcomeRecord.Effect.Pushed(push.identityToken(), push.endpoint().path(), data);
        } else if (command instanceof Command.Delete delete) {
            return new OutcomeRecord.Effect.Deleted(delete.sharingMessageToken());
        } else if (command instanceof Command.Refresh refresh) {
            return new OutcomeRecord.Effect.Refreshed(refresh.sharingMessageToken(), data);
        }
        return null;
    }

    private static String messageToken(JsonNode data) {
        if (data == null) {
            return null;
        }
        var token = data.path("sharing_message").path("sharing_message_token");
        return token.isTextual() ? token.asText() : null;
    }
}
