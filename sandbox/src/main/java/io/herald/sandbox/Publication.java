package io.herald.sandbox;

import java.time.Instant;
import java.util.List;

/** One provider's outcome of a publish or re-publish, kept on the message whether it succeeded or not. */
record Publication(
        String provider,
        String userToken,
        String identityToken,
        Instant date,
        int code,
        String message,
        List<ShortUrl> shortUrls) {

    boolean succeeded() {
        return code == 200;
    }
}
