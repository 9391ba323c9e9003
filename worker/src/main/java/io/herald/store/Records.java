package io.herald.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** The rows that go with a ledger change besides the command's own: dead letters, outbox messages, identity holds, campaign counts. */
final class Records {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Records() {}

    static void deadLetters(Connection connection, List<LedgerChange> changes) throws SQLException {
        var letters =
                changes.stream().filter(change -> change.deadLetter != null).toList();
        Jdbc.batch(connection, DeadLetterStore.INSERT, letters, (statement, change) -> {
            var letter = change.deadLetter;
            var command = change.command;
            var source = change.source;
            Jdbc.bind(connection, statement, 1, command.commandId());
            Jdbc.bind(connection, statement, 2, command.type());
            Jdbc.bind(connection, statement, 3, command.campaignId());
            statement.setBytes(4, letter.key());
            statement.setBytes(5, letter.value() == null ? new byte[0] : letter.value());
            statement.setString(6, letter.headersJson());
            statement.setString(7, letter.errorClass().wireName());
            statement.setString(8, letter.error());
            Jdbc.bind(connection, statement, 9, letter.httpStatus());
            statement.setInt(10, letter.attempts());
            Jdbc.bind(connection, statement, 11, source == null ? null : source.topic());
            Jdbc.bind(connection, statement, 12, source == null ? null : source.partition());
            Jdbc.bind(connection, statement, 13, source == null ? null : source.offset());
            Jdbc.bind(connection, statement, 14, letter.failedAt());
            // a record beside its command has no calls of its own: the command's are not its history
            Jdbc.bind(
                    connection,
                    statement,
                    15,
                    change.guard instanceof LedgerChange.Guard.Beside ? null : command.commandId());
            statement.setBytes(16, letter.recordHeaders().encoded());
        });
    }

    /** Inserts the changes' outbox messages; returns them with their ids, in order, for the relay. */
    static List<OutboxRelayItem> outbox(Connection connection, List<LedgerChange> changes) throws SQLException {
        var messages = new ArrayList<OutboxMessage>();
        changes.forEach(change -> messages.addAll(change.outbox));
        return outboxMessages(connection, messages);
    }

    /** Inserts outbox messages; returns them with their ids, in order, for the relay. */
    static List<OutboxRelayItem> outboxMessages(Connection connection, List<OutboxMessage> messages)
            throws SQLException {
        var items = new ArrayList<OutboxRelayItem>();
        if (messages.isEmpty()) {
            return items;
        }
        try (var statement = connection.prepareStatement(OutboxStore.INSERT)) {
            statement.setArray(
                    1,
                    Jdbc.array(
                            connection,
                            "text",
                            messages.stream().map(OutboxMessage::topic).toList()));
            statement.setArray(
                    2,
                    connection.createArrayOf(
                            "bytea", messages.stream().map(OutboxMessage::key).toArray(byte[][]::new)));
            statement.setArray(
                    3,
                    connection.createArrayOf(
                            "bytea", messages.stream().map(OutboxMessage::value).toArray(byte[][]::new)));
            statement.setArray(
                    4,
                    Jdbc.array(
                            connection,
                            "jsonb",
                            messages.stream().map(m -> headers(m)).toList()));
            statement.setArray(
                    5,
                    connection.createArrayOf(
                            "bytea",
                            messages.stream()
                                    .map(m -> m.recordHeaders().encoded())
                                    .toArray(byte[][]::new)));
            try (var rows = statement.executeQuery()) {
                int index = 0;
                while (rows.next()) {
                    items.add(new OutboxRelayItem(rows.getLong(1), messages.get(index++)));
                }
            }
        }
        return items;
    }

    private static String headers(OutboxMessage message) {
        if (message.headers().isEmpty()) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(message.headers());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void holds(Connection connection, List<LedgerChange> changes) throws SQLException {
        for (var change : changes) {
            var hold = change.hold;
            if (hold != null) {
                Jdbc.update(
                        connection,
                        IdentityHolds.HOLD,
                        hold.routingKey(),
                        hold.commandId(),
                        hold.httpStatus(),
                        hold.reason(),
                        hold.expiresAt());
            }
        }
    }

    /** Each campaign counts the recipients that ended in this batch. */
    static void campaignCounts(Connection connection, List<LedgerChange> changes) throws SQLException {
        var ended = new LinkedHashMap<String, Integer>();
        changes.stream()
                .filter(LedgerChange::endsCampaignRecipient)
                .forEach(change -> ended.merge(change.command.campaignId(), 1, Integer::sum));
        Jdbc.batch(connection, CampaignTables.COUNT_ENDED, ended.entrySet(), (statement, entry) -> {
            statement.setInt(1, entry.getValue());
            statement.setString(2, entry.getKey());
        });
    }
}
