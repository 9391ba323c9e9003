package io.herald.command.api;

import java.time.Instant;

/** A tracked short URL of a publication, with the referral count OneAll reports for it. */
public record ShortUrl(
        String token,
        String originalUrl,
        String shortUrl,
        Instant dateCreation,
        Instant dateLastReferral,
        long referrals) {}
