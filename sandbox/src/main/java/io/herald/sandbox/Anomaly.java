package io.herald.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An answer that is not quite OneAll's, for testing how a client copes with what a proxy, a broken
 * deployment or an odd provider may send back. Some anomalies replace the answer before the call
 * reaches the site (the call has no effect); the others distort a successful answer after the
 * effect was carried out.
 */
public enum Anomaly {
    /** HTTP 200 with a proxy's HTML page ({@code text/html}) instead of JSON; the call has no effect. */
    @JsonProperty("html_page")
    HTML_PAGE(false),
    /** HTTP 200 with OneAll's envelope but {@code status.flag = "error"} and no result; the call has no effect. */
    @JsonProperty("error_flag")
    ERROR_FLAG(false),
    /**
     * A successful answer with a NUL character ({@code \u0000}) in the push's {@code post_id}, or in
     * every publication's {@code status.message} of a publish or re-publish; the effect is carried out.
     */
    @JsonProperty("nul_character")
    NUL_CHARACTER(true),
    /** A publish or re-publish answer whose {@code sharing_message} lacks {@code sharing_message_token}; the effect is carried out. */
    @JsonProperty("missing_message_token")
    MISSING_MESSAGE_TOKEN(true),
    /** A push answer whose {@code post_id} is {@value #LONG_POST_ID_LENGTH} characters long; the effect is carried out. */
    @JsonProperty("long_post_id")
    LONG_POST_ID(true);

    /** The length of the {@code post_id} that {@link #LONG_POST_ID} answers. */
    public static final int LONG_POST_ID_LENGTH = 10_000;

    private final boolean effectCarriedOut;

    Anomaly(boolean effectCarriedOut) {
        this.effectCarriedOut = effectCarriedOut;
    }

    /** Whether a call answered with this anomaly still changes the site (a post made, a message kept). */
    public boolean effectCarriedOut() {
        return effectCarriedOut;
    }

    /** The name in the admin JSON and in the journal's {@code fault} field, e.g. {@code html_page}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
