package io.herald.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The headers of a command's Kafka record, in order and byte for byte, as they came: kept with the command (parked,
 * dead-lettered, in the outbox) so that its dead letter and its replays carry them, and its trace ({@code traceparent})
 * goes on. They are the producer's, and may hold anything: they are never logged ({@link #toString} says only how many).
 */
public final class RecordHeaders {
    /** One header; its value may be null. */
    public record Header(String key, byte[] value) {}

    public static final RecordHeaders NONE = new RecordHeaders(List.of());
    private static final int VERSION = 1;

    private final List<Header> headers;

    private RecordHeaders(List<Header> headers) {
        this.headers = headers;
    }

    public static RecordHeaders of(List<Header> headers) {
        return headers == null || headers.isEmpty() ? NONE : new RecordHeaders(List.copyOf(headers));
    }

    public List<Header> all() {
        return headers;
    }

    public boolean isEmpty() {
        return headers.isEmpty();
    }

    /** The last value of {@code key} as UTF-8 text (as Kafka's {@code lastHeader}), or null. */
    public String text(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            var header = headers.get(i);
            if (header.key().equals(key)) {
                return header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The headers but those named in {@code keys}: what a dead letter's record held before Herald added its own. */
    public RecordHeaders without(Set<String> keys) {
        return of(headers.stream().filter(h -> !keys.contains(h.key())).toList());
    }

    /** The column's bytes, or null when there is no header. */
    public byte[] encoded() {
        if (headers.isEmpty()) {
            return null;
        }
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(headers.size());
            for (var header : headers) {
                var key = header.key().getBytes(StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                out.writeInt(header.value() == null ? -1 : header.value().length);
                if (header.value() != null) {
                    out.write(header.value());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** The headers a column holds ({@link #encoded}); null or empty: none. */
    public static RecordHeaders decode(byte[] column) {
        if (column == null || column.length == 0) {
            return NONE;
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(column))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("record headers of an unknown encoding (version " + version + ")");
            }
            int count = in.readInt();
            var headers = new ArrayList<Header>(Math.min(count, 1_000));
            for (int i = 0; i < count; i++) {
                var key = new String(read(in, in.readInt()), StandardCharsets.UTF_8);
                int length = in.readInt();
                headers.add(new Header(key, length < 0 ? null : read(in, length)));
            }
            return of(headers);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable record headers (" + column.length + " bytes)", e);
        }
    }

    private static byte[] read(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " past the end");
        }
        return in.readNBytes(length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordHeaders that && java.util.Arrays.deepEquals(flat(), that.flat());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.deepHashCode(flat());
    }

    private Object[] flat() {
        return headers.stream()
                .flatMap(h -> java.util.stream.Stream.of(h.key(), h.value()))
                .toArray();
    }

    @Override
    public String toString() {
        return "RecordHeaders[" + headers.size() + " headers]";
    }
}
