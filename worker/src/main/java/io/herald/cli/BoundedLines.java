package io.herald.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a stream line by line as bytes, keeping at most {@code maxLineBytes} of a line in memory:
 * a longer line is skipped to its end and reported as too long, so a million-line file or a
 * runaway line costs bounded memory. Bytes, not characters, so that invalid UTF-8 reaches the
 * validator and is named there.
 */
final class BoundedLines {
    /** One line; {@code bytes} is null when the line was longer than the bound. */
    record Line(long number, byte[] bytes, long length) {
        boolean tooLong() {
            return bytes == null;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long lineNumber;

    BoundedLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its line ending, or null at the end of the stream. */
    Line next() throws IOException {
        var line = new byte[256];
        int size = 0;
        long length = 0;
        boolean sawAnything = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAnything) {
                        return null;
                    }
                    break;
                }
            }
            sawAnything = true;
            byte b = buffer[position++];
            if (b == '\n') {
                break;
            }
            length++;
            if (length <= maxLineBytes) {
                if (size == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                }
                line[size++] = b;
            }
        }
        lineNumber++;
        if (length > maxLineBytes) {
            return new Line(lineNumber, null, length);
        }
        if (size > 0 && line[size - 1] == '\r') {
            size--;
        }
        return new Line(lineNumber, Arrays.copyOf(line, size), size);
    }
}
