package io.herald.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which publications a re-publish answer lists. OneAll's page says only that the result "is similar
 * to the one you receive after having published a new message", which reads both ways.
 */
public enum RepublishAnswer {
    /** The whole message with its publications so far, old and new, failed ones included, the 250 most recent (the default). */
    @JsonProperty("whole_message")
    WHOLE_MESSAGE,
    /** The message with only the publications this re-publish made. */
    @JsonProperty("new_publications")
    NEW_PUBLICATIONS
}
