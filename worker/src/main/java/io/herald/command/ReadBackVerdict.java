package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What reading OneAll back says of a lost call. */
public sealed interface ReadBackVerdict {
    /** It took effect; {@code data} is what OneAll shows of it, recorded as the call's answer (null for a delete). */
    record TookEffect(JsonNode data) implements ReadBackVerdict {
        @Override
        public String toString() {
            return "TookEffect";
        }
    }

    /** It had no effect: it may be sent again. */
    record NoEffect() implements ReadBackVerdict {}

    /** It published the message for some providers; {@code remaining} have no publication. */
    record Partly(String sharingMessageToken, List<String> succeeded, List<String> remaining)
            implements ReadBackVerdict {
        public Partly {
            succeeded = List.copyOf(succeeded);
            remaining = List.copyOf(remaining);
        }
    }

    /** OneAll could not be read, or what it shows cannot prove either way: the outcome stays unknown. */
    record Undecided(String reason) implements ReadBackVerdict {}
}
