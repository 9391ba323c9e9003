package io.herald.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the sandbox answers one request, and what it records of it in the journal. */
record Answer(int status, ObjectNode data, String info, boolean effect, String fault, int retryAfterSeconds, boolean hang) {

    static Answer success(int status, ObjectNode data, String info) {
        return new Answer(status, data, info, true, null, 0, false);
    }

    static Answer error(int status, String info) {
        return new Answer(status, null, info, false, null, 0, false);
    }

    static Answer fault(int status, String info, String fault, int retryAfterSeconds) {
        return new Answer(status, null, info, false, fault, retryAfterSeconds, false);
    }

    Answer hanging() {
        return new Answer(0, data, info, effect, "hang", 0, true);
    }
}
