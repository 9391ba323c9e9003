package io.herald.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.schema.Command;
import java.util.List;

/**
 * The OneAll call each command type makes (docs/commands.md), and the reads that settle a lost call. Tokens and
 * endpoints were validated, so nothing here can leave the site's API.
 */
public final class Requests {
    private Requests() {}

    public static Call of(Command command) {
        if (command instanceof Command.Publish publish) {
            return post("/sharing/messages.json", "sharing_message", publish.sharingMessage());
        } else if (command instanceof Command.Republish republish) {
            return post(messagePath(republish.sharingMessageToken()), "sharing_message", republish.sharingMessage());
        } else if (command instanceof Command.Push push) {
            return post(
                    "/push/identities/" + push.identityToken() + "/"
                            + push.endpoint().path() + ".json",
                    "push",
                    push.push());
        } else if (command instanceof Command.Delete delete) {
            return new Call("DELETE", messagePath(delete.sharingMessageToken()) + "?confirm_deletion=true", null);
        } else if (command instanceof Command.Refresh refresh) {
            return readMessage(refresh.sharingMessageToken());
        }
        throw new IllegalArgumentException(command.type().wireName() + " commands make no single OneAll call");
    }

    /** A re-publish of a message for some providers of a user: how the providers a publish missed are retried alone. */
    public static Call republishFor(String sharingMessageToken, String userToken, List<String> providers) {
        var message = JsonNodeFactory.instance.objectNode();
        var forUser = message.putObject("publish_for_user").put("user_token", userToken);
        var list = forUser.putArray("providers");
        providers.forEach(list::add);
        return post(messagePath(sharingMessageToken), "sharing_message", message);
    }

    /** A re-publish of a message for one identity: how a publish for an identity whose publication failed is retried. */
    public static Call republishForIdentity(String sharingMessageToken, String identityToken) {
        var message = JsonNodeFactory.instance.objectNode();
        message.putObject("publish_for_identity").put("identity_token", identityToken);
        return post(messagePath(sharingMessageToken), "sharing_message", message);
    }

    /** {@code GET /sharing/messages/<token>.json}: the message with its publications. */
    public static Call readMessage(String sharingMessageToken) {
        return new Call("GET", messagePath(sharingMessageToken), null);
    }

    /** {@code GET /sharing/messages.json}: one page of the site's messages, newest first when {@code newestFirst}. */
    public static Call listMessages(int page, int perPage, boolean newestFirst) {
        return new Call(
                "GET",
                "/sharing/messages.json?page=" + Math.max(1, page) + "&entries_per_page="
                        + Math.max(1, Math.min(500, perPage)) + "&order_direction=" + (newestFirst ? "desc" : "asc"),
                null);
    }

    /** {@code GET /tools/ping.json}: checks the site's keys. */
    public static Call ping() {
        return new Call("GET", "/tools/ping.json", null);
    }

    private static String messagePath(String token) {
        return "/sharing/messages/" + token + ".json";
    }

    private static Call post(String path, String name, JsonNode node) {
        var payload = JsonNodeFactory.instance.objectNode();
        payload.set(name, node);
        return new Call("POST", path, payload);
    }
}
