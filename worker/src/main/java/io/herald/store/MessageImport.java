package io.herald.store;

import io.herald.command.api.SharingMessage;
import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Messages read from OneAll, imported with their publications and tracked short URLs into the reporting tables
 * ({@code herald messages --import}) through the upserts a refresh records with: importing a message again adds
 * nothing, and what Herald recorded of its own commands (their command ids, campaigns) is kept.
 */
public final class MessageImport {
    private static final String COUNTS = """
            SELECT (SELECT count(*) FROM sharing_messages WHERE sharing_message_token = ANY(?)),
                   (SELECT count(*) FROM publications WHERE sharing_message_token = ANY(?)),
                   (SELECT count(*) FROM short_urls WHERE sharing_message_token = ANY(?))""";

    private final Jdbc jdbc;

    public MessageImport(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** What an import added: rows that were not in the reporting tables before. */
    public record Added(int messagesRead, long messages, long publications, long shortUrls) {}

    private record Counts(long messages, long publications, long shortUrls) {}

    /** Imports the messages in one transaction; those without a token are skipped. */
    public Added importMessages(List<SharingMessage> messages) throws SQLException {
        var tokens = messages.stream()
                .map(SharingMessage::token)
                .filter(java.util.Objects::nonNull)
                .toList();
        return jdbc.inTransaction(connection -> {
            var before = counts(connection, tokens);
            Reporting.importMessages(connection, messages);
            var after = counts(connection, tokens);
            return new Added(
                    tokens.size(),
                    after.messages() - before.messages(),
                    after.publications() - before.publications(),
                    after.shortUrls() - before.shortUrls());
        });
    }

    private static Counts counts(java.sql.Connection connection, List<String> tokens) throws SQLException {
        return Jdbc.queryOne(
                        connection,
                        COUNTS,
                        row -> new Counts(row.getLong(1), row.getLong(2), row.getLong(3)),
                        tokens,
                        tokens,
                        tokens)
                .orElseThrow();
    }
}
