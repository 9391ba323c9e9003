package io.herald.schema;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A record's key as the ledger keeps it. A record's key should be its command's routing key ({@link RoutingKeys}); a
 * valid command is processed whatever its key, since its routing key comes from its value. An invalid record's key is
 * kept as text, in indexes: PostgreSQL refuses a NUL and bytes that are not UTF-8 in text, and an index row of more
 * than about 2,700 bytes. So a key that could not be a routing key (not UTF-8, a NUL byte, more than
 * {@link Limits#MAX_KEY_BYTES} bytes) is named among an invalid record's violations and kept as its digest.
 */
public final class RecordKeys {
    /** The pointer of a violation of the record's key: no JSON pointer, since the key is not in the command. */
    public static final String POINTER = "(key)";

    /** What a key that breaks the rule is kept as in text, followed by the hex SHA-256 of its bytes. */
    public static final String DIGEST_PREFIX = "sha256:";

    private RecordKeys() {}

    /** The rules {@code key} breaks; none for a key that may be a routing key, or for no key at all. */
    public static List<Violation> violations(byte[] key) {
        var violations = new ArrayList<Violation>();
        if (key == null) {
            return violations;
        }
        if (key.length > Limits.MAX_KEY_BYTES) {
            violations.add(new Violation(
                    POINTER,
                    "key-max-size",
                    "the record's key is " + key.length + " bytes; at most " + Limits.MAX_KEY_BYTES + " are allowed"));
        }
        if (!isUtf8(key)) {
            violations.add(new Violation(POINTER, "key-utf-8", "the record's key is not valid UTF-8"));
        }
        for (byte b : key) {
            if (b == 0) {
                violations.add(new Violation(POINTER, "key-nul", "the record's key holds a NUL byte"));
                break;
            }
        }
        return violations;
    }

    /**
     * The key as the ledger's text columns keep it: the key itself when it keeps the rule, {@code ""} for no key, else
     * {@value #DIGEST_PREFIX} and the hex SHA-256 of its bytes (71 characters, whatever the key): a digest, not an
     * escape, because it is bounded however long the key, and two keys never share one, as two long keys cut to a
     * bound would. The bytes themselves are in the dead letter; SQL finds it by the digest with
     * {@code 'sha256:' || encode(sha256(record_key), 'hex')}.
     */
    public static String text(byte[] key) {
        if (key == null) {
            return "";
        }
        if (violations(key).isEmpty()) {
            return new String(key, StandardCharsets.UTF_8);
        }
        try {
            return DIGEST_PREFIX
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
