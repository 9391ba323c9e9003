package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.schema.Providers;
import io.herald.schema.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whom a publish or re-publish is for: {@code publish_for_identity} (one identity) or
 * {@code publish_for_user} (one identity per provider of the user), or why the request is refused.
 */
record Targets(List<Identity> identities, Answer error) {

    static Targets of(JsonNode sharing, SandboxSite site) {
        var forUser = sharing.get("publish_for_user");
        var forIdentity = sharing.get("publish_for_identity");
        if ((forUser == null) == (forIdentity == null)) {
            return refused(400, "Exactly one of publish_for_user and publish_for_identity must be given");
        }
        return forIdentity != null ? forIdentity(forIdentity, site) : forUser(forUser, site);
    }

    /** The providers a publish or re-publish body names, best effort and without provisioning anything. */
    static Set<String> providersNamed(JsonNode sharing, SandboxSite site) {
        var identityToken = Json.text(sharing.path("publish_for_identity").path("identity_token"));
        if (identityToken.isPresent()) {
            var provider = site.providerOf(identityToken.get());
            return provider == null ? Set.of() : Set.of(provider);
        }
        return providers(sharing.path("publish_for_user").get("providers"));
    }

    private static Targets forIdentity(JsonNode forIdentity, SandboxSite site) {
        var token = Json.text(forIdentity.path("identity_token")).orElse(null);
        if (!Tokens.isToken(token)) {
            return refused(400, "publish_for_identity.identity_token is not a valid token");
        }
        var identity = site.identity(token, SandboxSite.DEFAULT_PROVIDER);
        if (identity == null) {
            return refused(404, "The identity_token " + token + " is invalid");
        }
        return new Targets(List.of(identity), null);
    }

    private static Targets forUser(JsonNode forUser, SandboxSite site) {
        var userToken = Json.text(forUser.path("user_token")).orElse(null);
        if (!Tokens.isToken(userToken)) {
            return refused(400, "publish_for_user.user_token is not a valid token");
        }
        var providers = providers(forUser.get("providers"));
        if (providers.isEmpty()) {
            return refused(400, "publish_for_user.providers must name at least one provider");
        }
        for (var provider : providers) {
            if (!Providers.isKnown(provider)) {
                return refused(400, "The provider " + provider + " is not supported");
            }
        }
        var identities = new ArrayList<Identity>();
        for (var provider : providers) {
            identities.add(site.identityOf(userToken, provider));
        }
        return new Targets(identities, null);
    }

    private static Targets refused(int status, String info) {
        return new Targets(null, Answer.error(status, info));
    }

    private static Set<String> providers(JsonNode node) {
        var providers = new LinkedHashSet<String>();
        if (node != null && node.isTextual()) {
            providers.add(node.asText());
        } else if (node != null && node.isArray()) {
            node.forEach(p -> providers.add(p.asText()));
        }
        return providers;
    }
}
