package io.herald.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one sandboxed OneAll site: users, their identities and the sharing messages.
 * Thread-safe: the sandbox serves from several event loops.
 */
final class SandboxSite {
    /** The provider an unknown identity becomes when it is provisioned on first use without a provider to go by. */
    static final String DEFAULT_PROVIDER = "facebook";

    private final Clock clock;
    private final boolean autoProvision;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> usersIdentities = new ConcurrentHashMap<>();
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    private final AtomicLong messageSequence = new AtomicLong();

    SandboxSite(Clock clock, boolean autoProvision) {
        this.clock = clock;
        this.autoProvision = autoProvision;
    }

    Instant now() {
        return clock.instant();
    }

    Clock clock() {
        return clock;
    }

    /** Registers an identity of a provider, for a user (a new user when {@code userToken} is null). */
    Identity addIdentity(String identityToken, String provider, String userToken) {
        var user = userToken == null ? UUID.randomUUID().toString() : userToken;
        var identity = new Identity(identityToken, provider, user);
        var existing = identities.putIfAbsent(identityToken, identity);
        if (existing != null) {
            return existing;
        }
        usersIdentities.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).putIfAbsent(provider, identityToken);
        return identity;
    }

    /** The identity, provisioned with {@code provider} when unknown and auto-provisioning is on; else null. */
    Identity identity(String identityToken, String provider) {
        var identity = identities.get(identityToken);
        if (identity == null && autoProvision) {
            identity = addIdentity(identityToken, provider, null);
        }
        return identity;
    }

    /** The provider of a known identity, or the one it would be provisioned with, or null. */
    String providerOf(String identityToken) {
        var identity = identities.get(identityToken);
        if (identity != null) {
            return identity.provider();
        }
        return autoProvision ? DEFAULT_PROVIDER : null;
    }

    /** The user's identity with the provider; one with a null token when the user has none and none is provisioned. */
    Identity identityOf(String userToken, String provider) {
        var userIdentities = usersIdentities.get(userToken);
        var identityToken = userIdentities == null ? null : userIdentities.get(provider);
        if (identityToken != null) {
            return identities.get(identityToken);
        }
        return autoProvision
                ? addIdentity(UUID.randomUUID().toString(), provider, userToken)
                : new Identity(null, provider, userToken);
    }

    Message newMessage(ObjectNode parts) {
        return new Message(UUID.randomUUID().toString(), messageSequence.incrementAndGet(), parts, clock.instant());
    }

    void keep(Message message) {
        messages.put(message.token, message);
    }

    /** The message, or null when it is unknown or deleted. */
    Message message(String token) {
        var message = messages.get(token);
        return message == null || message.deleted() ? null : message;
    }

    /** The messages not deleted, oldest first; messages created at the same instant keep their creation order. */
    List<Message> messagesByCreation() {
        return messages.values().stream()
                .filter(m -> !m.deleted())
                .sorted(Comparator.comparing((Message m) -> m.created).thenComparingLong(m -> m.sequence))
                .toList();
    }
}
