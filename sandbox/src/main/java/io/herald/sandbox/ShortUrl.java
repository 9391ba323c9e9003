package io.herald.sandbox;

import java.time.Instant;

/** A tracked {@code oal.lu} link; it gains one referral every {@code millisPerReferral}. */
record ShortUrl(String token, String originalUrl, Instant created, long millisPerReferral) {}
