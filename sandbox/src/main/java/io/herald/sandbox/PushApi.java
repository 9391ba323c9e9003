package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.schema.PushEndpoint;
import java.util.concurrent.ThreadLocalRandom;

/** OneAll's Push API on a sandboxed site: one identity, one provider-specific action. */
final class PushApi {
    private final SandboxSite site;

    PushApi(SandboxSite site) {
        this.site = site;
    }

    /** The provider key a push path names, its first segment, whether or not the endpoint exists. */
    static String providerOf(String endpointPath) {
        int slash = endpointPath.indexOf('/');
        return slash < 0 ? endpointPath : endpointPath.substring(0, slash);
    }

    Answer push(String identityToken, String endpointPath, JsonNode body) {
        var endpoint = PushEndpoint.parse(endpointPath);
        if (endpoint.isEmpty()) {
            return Answer.error(
                    404, "The resource /push/identities/<identity_token>/" + endpointPath + ".json does not exist");
        }
        var push = Json.requestNode(body).map(r -> r.get("push")).filter(p -> p.isObject() && p.size() > 0);
        if (push.isEmpty()) {
            return Answer.error(400, "The request must contain a request.push object");
        }
        var provider = endpoint.get().endpoint().provider();
        var identity = site.identity(identityToken, provider);
        if (identity == null) {
            return Answer.error(404, "The identity_token " + identityToken + " is invalid");
        }
        if (!identity.provider().equals(provider)) {
            return Answer.error(
                    403,
                    "The identity " + identityToken + " is a " + identity.provider()
                            + " identity and cannot be used with the " + provider + " endpoint");
        }
        var refusal = ProviderRules.check(endpoint.get().endpoint(), push.get());
        if (refusal != null) {
            return Answer.error(refusal.status(), refusal.info());
        }
        var postId =
                Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999_999L));
        var data = Json.NODES
                .objectNode()
                .put("provider", provider)
                .put("object", endpoint.get().endpoint().object())
                .put("post_id", postId)
                .put("post_location", ProviderRules.location(provider, postId));
        return Answer.success(200, data, null);
    }
}
