package io.herald.oneall;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.schema.Command;

/** The OneAll call each command type makes (contract §2). Tokens and endpoints were validated, so nothing here can leave the site's API. */
public final class Requests {
    private Requests() {}

    public static OneAllRequest of(Command command) {
        if (command instanceof Command.Publish publish) {
            return post("/sharing/messages.json", "sharing_message", publish.sharingMessage());
        } else if (command instanceof Command.Republish republish) {
            return post("/sharing/messages/" + republish.sharingMessageToken() + ".json", "sharing_message",
                    republish.sharingMessage());
        } else if (command instanceof Command.Push push) {
            return post("/push/identities/" + push.identityToken() + "/" + push.endpoint().path() + ".json", "push",
                    push.push());
        } else if (command instanceof Command.Delete delete) {
            return new OneAllRequest("DELETE", "/sharing/messages/" + delete.sharingMessageToken()
                    + ".json?confirm_deletion=true", null);
        } else if (command instanceof Command.Refresh refresh) {
            return new OneAllRequest("GET", "/sharing/messages/" + refresh.sharingMessageToken() + ".json", null);
        }
        throw new IllegalArgumentException(command.type().wireName() + " commands make no single OneAll call");
    }

    /** A re-publish of a message for some providers of a user: how a 207's failed providers are retried alone. */
    public static OneAllRequest republishFor(String sharingMessageToken, String userToken, java.util.List<String> providers) {
        var message = JsonNodeFactory.instance.objectNode();
        var forUser = message.putObject("publish_for_user").put("user_token", userToken);
        var list = forUser.putArray("providers");
        providers.forEach(list::add);
        return post("/sharing/messages/" + sharingMessageToken + ".json", "sharing_message", message);
    }

    /** {@code GET /tools/ping.json}: checks the site's keys. */
    public static OneAllRequest ping() {
        return new OneAllRequest("GET", "/tools/ping.json", null);
    }

    private static OneAllRequest post(String path, String name, com.fasterxml.jackson.databind.JsonNode node) {
        var payload = JsonNodeFactory.instance.objectNode();
        payload.set(name, node);
        return new OneAllRequest("POST", path, payload);
    }
}
