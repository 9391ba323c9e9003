package io.herald.schema;

import java.time.Duration;

/** The bounds a command is held to, so that no input costs unbounded memory or time. */
public final class Limits {
    /** A command's size in bytes; fits Kafka's default maximum message size. */
    public static final int MAX_COMMAND_BYTES = 1_000_000;

    public static final int MAX_NESTING_DEPTH = 32;
    public static final int MAX_ID_LENGTH = 128;
    /**
     * A record's key in bytes: far above any routing key (a token is 36, a campaign id at most 100), far below what
     * PostgreSQL's indexes take (a btree row of about 2,700 bytes), where an invalid command's key is kept.
     */
    public static final int MAX_KEY_BYTES = 1024;
    /** Leaves room for {@code :<n>} in fan-out command ids. */
    public static final int MAX_CAMPAIGN_ID_LENGTH = 100;

    public static final int MAX_RECIPIENTS = 10_000;
    public static final int MAX_RECIPIENT_OFFSET = 100_000_000;
    public static final int MAX_METADATA_ENTRIES = 32;
    public static final int MAX_METADATA_KEY_LENGTH = 64;
    public static final int MAX_METADATA_VALUE_LENGTH = 1024;
    public static final int MAX_URL_LENGTH = 2048;
    /** How far ahead {@code not_before} may be; further is more likely a mistaken year than a plan. */
    public static final Duration MAX_NOT_BEFORE_AHEAD = Duration.ofDays(366);
    /** OneAll's Twitter push page: "No more than 140 characters". */
    public static final int MAX_TWEET_CHARACTERS = 140;
    /** OneAll's Twitter push page: "Up to four attachments are allowed". */
    public static final int MAX_TWEET_ATTACHMENTS = 4;
    /** OneAll's Facebook push page: "Only one single attachment allowed". */
    public static final int MAX_FACEBOOK_ATTACHMENTS = 1;

    private Limits() {}
}
