package io.herald.store;

import io.herald.command.api.SharingMessage;

/** What a call changed on OneAll's side, decoded from its answer, for the reporting tables. */
public sealed interface Effects {
    /**
     * A publish or re-publish answered with its message: the message, and the publications of {@code target} (the
     * user or identity it was for), each recorded once.
     *
     * @param newMessage whether this call created the message (a publish)
     * @param partsJson  the command's parts, for a publish
     */
    record Published(SharingMessage message, String target, boolean newMessage, String partsJson) implements Effects {}

    /** A refresh read the message: its publications and tracked short URLs are upserted, referral counts sampled. */
    record Refreshed(SharingMessage message) implements Effects {}

    /** A delete took effect. */
    record Deleted(String sharingMessageToken) implements Effects {}
}
