package io.herald.sandbox;

import java.util.Set;

/** Which operation of the site an API call is, and which providers it concerns (for rate limits). */
final class ApiRoutes {
    private final SandboxSite site;
    private final SharingApi sharing;
    private final PushApi push;

    ApiRoutes(SandboxSite site) {
        this.site = site;
        this.sharing = new SharingApi(site);
        this.push = new PushApi(site);
    }

    /** The providers a call publishes to: a push's endpoint provider, a publish's or re-publish's providers; else none. */
    Set<String> providersOf(ApiCall call) {
        if (!call.method().equals("POST") || call.json() == null) {
            return Set.of();
        }
        var pushPath = ApiCall.PUSH.matcher(call.path());
        if (pushPath.matches()) {
            return Set.of(PushApi.providerOf(pushPath.group(2)));
        }
        if (call.path().equals("/sharing/messages.json")
                || ApiCall.SHARING_MESSAGE.matcher(call.path()).matches()) {
            return Json.sharingMessage(call.json())
                    .map(s -> Targets.providersNamed(s, site))
                    .orElse(Set.of());
        }
        return Set.of();
    }

    Answer route(ApiCall call, SharingApi.PublicationFaults faults, RepublishAnswer republishAnswer) {
        var path = call.path();
        if (path.equals("/tools/ping.json") && call.method().equals("GET")) {
            return Answer.read(null);
        }
        if (path.equals("/sharing/messages.json")) {
            return switch (call.method()) {
                case "POST" -> call.json() == null ? invalidBody() : sharing.publish(call.json(), faults);
                case "GET" -> MessageList.page(site, call);
                default -> notAllowed();
            };
        }
        var message = ApiCall.SHARING_MESSAGE.matcher(path);
        if (message.matches()) {
            var token = message.group(1);
            return switch (call.method()) {
                case "GET" -> sharing.read(token);
                case "POST" ->
                    call.json() == null
                            ? invalidBody()
                            : sharing.republish(token, call.json(), faults, republishAnswer);
                case "DELETE" -> sharing.delete(token, "true".equals(call.param("confirm_deletion")));
                default -> notAllowed();
            };
        }
        var pushPath = ApiCall.PUSH.matcher(path);
        if (pushPath.matches() && call.method().equals("POST")) {
            return call.json() == null ? invalidBody() : push.push(pushPath.group(1), pushPath.group(2), call.json());
        }
        return Answer.error(404, "The resource " + path + " does not exist");
    }

    private static Answer invalidBody() {
        return Answer.error(400, "The request body must be a JSON object with a request node");
    }

    private static Answer notAllowed() {
        return Answer.error(405, "Method not allowed");
    }
}
