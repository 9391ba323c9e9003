package io.herald.command;

/** What to do with a call that may have reached OneAll, when it cannot be settled by reading OneAll back. */
public enum UnknownOutcomePolicy {
    /** Dead-letter it as {@code unknown-outcome}: never risk a second post (the default). */
    DEAD_LETTER("dead-letter"),
    /** Send it again: a duplicate post is accepted rather than a missing one. */
    RETRY("retry");

    private final String word;

    UnknownOutcomePolicy(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }

    public static UnknownOutcomePolicy parse(String value) {
        for (var policy : values()) {
            if (policy.word.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("expected dead-letter or retry");
    }
}
