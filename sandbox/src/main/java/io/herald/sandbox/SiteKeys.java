package io.herald.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** The site's public and private keys, which HTTP Basic authentication must present; they may rotate at run time. */
final class SiteKeys {
    private record Pair(String publicKey, String privateKey) {}

    private volatile Pair keys;

    SiteKeys(String publicKey, String privateKey) {
        set(publicKey, privateKey);
    }

    void set(String publicKey, String privateKey) {
        keys = new Pair(publicKey, privateKey);
    }

    String publicKey() {
        return keys.publicKey();
    }

    String privateKey() {
        return keys.privateKey();
    }

    boolean authorize(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        var current = keys;
        byte[] expected = (current.publicKey() + ":" + current.privateKey()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
