package io.herald.schema;

import java.util.List;

/** Whom a publish or re-publish is for: OneAll's {@code publish_for_user} or {@code publish_for_identity}. */
public sealed interface Target {
    /** The token the command is routed by. */
    String routingToken();

    /** {@code publish_for_user}: the user's accounts on each named provider. */
    record ForUser(String userToken, List<String> providers) implements Target {
        public ForUser {
            providers = List.copyOf(providers);
        }

        @Override
        public String routingToken() {
            return userToken;
        }
    }

    /** {@code publish_for_identity}: one social network account. */
    record ForIdentity(String identityToken) implements Target {
        @Override
        public String routingToken() {
            return identityToken;
        }
    }
}
