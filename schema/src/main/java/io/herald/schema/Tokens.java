package io.herald.schema;

import java.util.regex.Pattern;

/** OneAll's tokens (user, identity, sharing message) are UUIDs; nothing else may reach a URL path. */
public final class Tokens {
    public static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Tokens() {}

    public static boolean isToken(String value) {
        return value != null && UUID.matcher(value).matches();
    }
}
