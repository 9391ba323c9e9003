package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** OneAll's Sharing API on a sandboxed site: publish, re-publish, read and delete sharing messages. */
final class SharingApi {
    /** The most publications a whole-message re-publish answer lists. */
    static final int ANSWER_PAGE = 250;

    /** Decides the status of one provider's publication: 0 for success, else the failure's code. */
    interface PublicationFaults {
        int statusFor(String provider);
    }

    private final SandboxSite site;

    SharingApi(SandboxSite site) {
        this.site = site;
    }

    Answer publish(JsonNode body, PublicationFaults faults) {
        var sharing = Json.sharingMessage(body);
        if (sharing.isEmpty()) {
            return Answer.error(400, "The request must contain a request.sharing_message object");
        }
        var parts = sharing.get().get("parts");
        if (parts == null || !parts.isObject()) {
            return Answer.error(400, "The sharing_message must contain a parts object");
        }
        if (Json.text(parts.path("text").path("body")).isEmpty()
                && Json.text(parts.path("link").path("url")).isEmpty()) {
            return Answer.error(400, "Either a text (parts.text.body) or a link (parts.link.url) must be supplied");
        }
        var targets = Targets.of(sharing.get(), site);
        if (targets.error() != null) {
            return targets.error();
        }
        var message = site.newMessage((ObjectNode) parts.deepCopy());
        var made = publications(message, targets, faults);
        if (made.stream().noneMatch(Publication::succeeded)) {
            return allFailed(made);
        }
        message.addPublications(made, message.created);
        site.keep(message);
        return Answer.success(statusOf(made), MessageJson.data(message, made, site.now()), null);
    }

    Answer republish(String token, JsonNode body, PublicationFaults faults, RepublishAnswer shape) {
        var message = site.message(token);
        if (message == null) {
            return unknown(token);
        }
        var sharing = Json.sharingMessage(body);
        if (sharing.isEmpty()) {
            return Answer.error(400, "The request must contain a request.sharing_message object");
        }
        var targets = Targets.of(sharing.get(), site);
        if (targets.error() != null) {
            return targets.error();
        }
        var made = publications(message, targets, faults);
        if (made.stream().noneMatch(Publication::succeeded)) {
            return allFailed(made);
        }
        message.addPublications(made, made.get(0).date());
        var listed = shape == RepublishAnswer.NEW_PUBLICATIONS ? made : mostRecent(message.publications());
        return Answer.success(statusOf(made), MessageJson.data(message, listed, site.now()), null);
    }

    /**
     * The whole message's publications, as a re-publish answers them, at most {@link #ANSWER_PAGE} of them, the most
     * recent: OneAll lists in pages of 250 by default, and a campaign's message has a publication per recipient, so
     * an answer that grew with every recipient would make a campaign cost the square of its size.
     */
    private static List<Publication> mostRecent(List<Publication> publications) {
        return publications.size() <= ANSWER_PAGE
                ? publications
                : publications.subList(publications.size() - ANSWER_PAGE, publications.size());
    }

    Answer read(String token) {
        var message = site.message(token);
        if (message == null) {
            return unknown(token);
        }
        return Answer.read(MessageJson.data(message, message.publications(), site.now()));
    }

    Answer delete(String token, boolean confirmed) {
        if (!confirmed) {
            return Answer.error(400, "The parameter confirm_deletion=true is required to delete a sharing_message");
        }
        var message = site.message(token);
        if (message == null) {
            return unknown(token);
        }
        message.delete();
        return Answer.success(200, null, "The specified sharing_message has successfully been removed");
    }

    private static Answer unknown(String token) {
        return Answer.error(404, "The sharing_message_token " + token + " is invalid");
    }

    private List<Publication> publications(Message message, Targets targets, PublicationFaults faults) {
        var now = site.now();
        var made = new ArrayList<Publication>();
        for (var identity : targets.identities()) {
            int failure = identity.identityToken() == null ? 404 : faults.statusFor(identity.provider());
            if (failure != 0) {
                made.add(new Publication(
                        identity.provider(),
                        identity.userToken(),
                        identity.identityToken(),
                        now,
                        failure,
                        failureMessage(identity, failure),
                        List.of()));
            } else {
                made.add(new Publication(
                        identity.provider(),
                        identity.userToken(),
                        identity.identityToken(),
                        now,
                        200,
                        "Published",
                        ShortUrls.forParts(message.parts, now)));
            }
        }
        return made;
    }

    private static String failureMessage(Identity identity, int code) {
        if (identity.identityToken() == null) {
            return "The user has no " + identity.provider() + " identity";
        }
        return "The " + identity.provider() + " API answered " + code + " (sandbox fault)";
    }

    private static int statusOf(List<Publication> made) {
        return made.stream().allMatch(Publication::succeeded) ? 200 : 207;
    }

    /** No publication succeeded: the whole request fails with the first publication's status, and nothing is kept. */
    private static Answer allFailed(List<Publication> made) {
        var first = made.get(0);
        return Answer.error(first.code(), "Publishing failed for every provider: " + first.message());
    }
}
