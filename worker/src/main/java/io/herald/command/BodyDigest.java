package io.herald.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.schema.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;

/**
 * The SHA-256 of a command's canonical body, which the ledger keeps with its id (docs/processing.md, "Reused ids"): a
 * record whose id the ledger knows with another digest is another command under a reused id. Canonical: the parsed
 * command written again with the fields of every object in the order of their names and no whitespace, so that field
 * order, whitespace and escapes do not count; {@code created_at}, which is for the producer's own records and changes
 * nothing that Herald does, is left out. Herald never changes a command's body (a replay, a record produced again and a
 * campaign's fan-out carry the same bytes), so none of them is another digest.
 */
public final class BodyDigest {
    /** The field left out of the digest, at the top level only. */
    static final String LEFT_OUT = "created_at";

    private static final JsonFactory JSON = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();
    /** Hex characters of a digest that a reason names: enough to tell two bodies apart at a glance. */
    private static final int SHOWN = 12;

    private BodyDigest() {}

    /** The 32 bytes of the command's canonical body's SHA-256. */
    public static byte[] of(Command command) {
        return of(command.json());
    }

    static byte[] of(JsonNode body) {
        var digest = sha256();
        try (var out = new DigestOutputStream(OutputStream.nullOutputStream(), digest);
                var json = JSON.createGenerator(out)) {
            write(json, body, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot digest a command's body", e);
        }
        return digest.digest();
    }

    /** The first hex characters of a digest, as a reason names it. */
    public static String shown(byte[] digest) {
        return HEX.formatHex(digest).substring(0, SHOWN);
    }

    private static void write(JsonGenerator json, JsonNode node, boolean top) throws IOException {
        if (node.isObject()) {
            var names = new ArrayList<String>(node.size());
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            json.writeStartObject();
            for (var name : names) {
                if (!(top && name.equals(LEFT_OUT))) {
                    json.writeFieldName(name);
                    write(json, node.get(name), false);
                }
            }
            json.writeEndObject();
        } else if (node.isArray()) {
            json.writeStartArray();
            for (var element : node) {
                write(json, element, false);
            }
            json.writeEndArray();
        } else if (node.isTextual()) {
            json.writeString(node.textValue());
        } else if (node.isNull()) {
            json.writeNull();
        } else if (node.isBoolean()) {
            json.writeBoolean(node.booleanValue());
        } else {
            json.writeNumber(node.asText());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
