package io.herald.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the sandbox answers one request, and what it records of it in the journal.
 *
 * @param effect  whether the request changed the site (the journal's witness; it must stay true to what happened)
 * @param fault   the injected fault that shaped the answer, for the journal, or null
 * @param anomaly how the answer departs from OneAll's, or null
 */
record Answer(
        int status,
        ObjectNode data,
        String info,
        boolean effect,
        String fault,
        int retryAfterSeconds,
        boolean hang,
        Anomaly anomaly) {

    /** A request that changed the site. */
    static Answer success(int status, ObjectNode data, String info) {
        return new Answer(status, data, info, true, null, 0, false, null);
    }

    /** A request that only read the site. */
    static Answer read(ObjectNode data) {
        return new Answer(200, data, null, false, null, 0, false, null);
    }

    static Answer error(int status, String info) {
        return new Answer(status, null, info, false, null, 0, false, null);
    }

    static Answer fault(int status, String info, String fault, int retryAfterSeconds) {
        return new Answer(status, null, info, false, fault, retryAfterSeconds, false, null);
    }

    /** An anomaly answered instead of carrying the request out. */
    static Answer anomalous(Anomaly anomaly) {
        return new Answer(
                200, null, "Sandbox anomaly " + anomaly.wireName(), false, anomaly.wireName(), 0, false, anomaly);
    }

    /** This answer, its effect carried out, with its data distorted by the anomaly. */
    Answer distorted(Anomaly anomaly, ObjectNode distortedData) {
        return new Answer(status, distortedData, info, effect, anomaly.wireName(), retryAfterSeconds, hang, anomaly);
    }

    /** This answer, recording whether the request changed the site. */
    Answer withEffect(boolean changed) {
        return new Answer(status, data, info, changed, fault, retryAfterSeconds, hang, anomaly);
    }

    Answer hanging() {
        return new Answer(0, data, info, effect, "hang", 0, true, anomaly);
    }

    boolean succeeded() {
        return status == 200 || status == 207;
    }
}
