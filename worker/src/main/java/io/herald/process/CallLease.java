package io.herald.process;

import io.herald.oneall.OneAll;

/**
 * What one claim holds for its call, all taken before the claim (docs/processing.md, claims): a call slot, the outage
 * breaker's leave and a connection to OneAll. The call takes the connection and ends the leave with its result; the
 * lease is closed where the attempt ends (its outcome recorded, or no call after all), and closing it again does
 * nothing, so the slot is given back exactly once.
 */
final class CallLease implements AutoCloseable {
    private final CallSlots slots;
    private final OutageBreaker.Permit permit;
    private OneAll.Line line;
    private boolean closed;

    CallLease(CallSlots slots, OutageBreaker.Permit permit) {
        this.slots = slots;
        this.permit = permit;
    }

    /** The breaker's leave, which the call's result ends. */
    OutageBreaker.Permit permit() {
        return permit;
    }

    /** The connection held for the call, from before its claim. */
    void hold(OneAll.Line held) {
        this.line = held;
    }

    /** The connection held for the call, handed over once: null after, or when none is held. */
    OneAll.Line takeLine() {
        var held = line;
        line = null;
        return held;
    }

    /** No call goes under the leave (the claim said no, or the decision is not a call): it is given back, the slot kept. */
    void noCall() {
        permit.released();
    }

    /** Gives back what is still held: the connection, the leave, the slot. */
    @Override
    public void close() {
        var held = takeLine();
        if (held != null) {
            held.release();
        }
        permit.released();
        if (!closed) {
            closed = true;
            slots.release();
        }
    }
}
