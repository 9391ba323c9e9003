package io.herald.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.Publications;
import io.herald.oneall.OneAllDates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Writes a batch of outcome records in one transaction: the ledger rows, the attempts, and the reporting tables. */
final class RecordWriter {
    /** One statement for the whole batch: the rows' new values arrive as parallel arrays. */
    private static final String UPDATE_COMMANDS = """
            UPDATE commands AS c
               SET status = u.status, last_error = u.last_error, last_error_class = u.last_error_class,
                   result = u.result::jsonb, next_attempt_at = u.next_attempt_at::timestamptz, claimed_by = NULL,
                   progress = COALESCE(u.progress::jsonb, c.progress), updated_at = now()
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                   AS u(command_id, status, last_error, last_error_class, result, next_attempt_at, progress)
             WHERE c.command_id = u.command_id
            """;
    private static final String INSERT_COMMAND = """
            INSERT INTO commands (command_id, type, status, attempts, routing_key, campaign_id, last_error, last_error_class)
            VALUES (?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING
            """;
    private static final String INSERT_ATTEMPT = """
            INSERT INTO attempts (command_id, attempt, worker_id, started_at, finished_at, duration_ms, http_status,
                                  oneall_flag, oneall_info, error_class, error)
            VALUES (?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id, attempt) DO NOTHING
            """;
    private static final String UPSERT_MESSAGE = """
            INSERT INTO sharing_messages (sharing_message_token, command_id, campaign_id, parts, date_creation, date_last_published)
            VALUES (?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (sharing_message_token) DO UPDATE
               SET date_last_published = COALESCE(EXCLUDED.date_last_published, sharing_messages.date_last_published),
                   parts = COALESCE(sharing_messages.parts, EXCLUDED.parts),
                   campaign_id = COALESCE(sharing_messages.campaign_id, EXCLUDED.campaign_id),
                   updated_at = now()
            """;
    private static final String INSERT_PUBLICATION = """
            INSERT INTO publications (id, sharing_message_token, command_id, provider, user_token, identity_token,
                                      status_flag, status_code, status_message, date_publication)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;
    private static final String UPSERT_SHORT_URL = """
            INSERT INTO short_urls (shorturl_token, sharing_message_token, publication_id, original_url, short_url,
                                    date_creation, date_last_referral, num_referrals)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (shorturl_token) DO UPDATE
               SET num_referrals = GREATEST(short_urls.num_referrals, EXCLUDED.num_referrals),
                   date_last_referral = COALESCE(EXCLUDED.date_last_referral, short_urls.date_last_referral),
                   publication_id = COALESCE(short_urls.publication_id, EXCLUDED.publication_id),
                   updated_at = now()
            """;
    private static final String INSERT_SAMPLE = """
            INSERT INTO referral_samples (shorturl_token, sampled_at, num_referrals) VALUES (?, now(), ?)
            ON CONFLICT DO NOTHING
            """;
    private static final String INSERT_PUSH = """
            INSERT INTO push_results (command_id, identity_token, endpoint, provider, object, post_id, post_location)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING
            """;
    private static final String MARK_DELETED = """
            INSERT INTO sharing_messages (sharing_message_token, deleted_at) VALUES (?, now())
            ON CONFLICT (sharing_message_token) DO UPDATE SET deleted_at = now(), updated_at = now()
            """;
    private static final String MARK_REFRESHED = """
            INSERT INTO sharing_messages (sharing_message_token, date_creation, date_last_published, refreshed_at, parts)
            VALUES (?, ?, ?, now(), ?::jsonb)
            ON CONFLICT (sharing_message_token) DO UPDATE
               SET refreshed_at = now(), date_last_published = COALESCE(EXCLUDED.date_last_published, sharing_messages.date_last_published),
                   updated_at = now()
            """;
    private static final String INSERT_DEAD_LETTER = """
            INSERT INTO dead_letters (command_id, type, campaign_id, record_key, record_value, headers, error_class, error,
                                      http_status, attempts, original_topic, original_partition, original_offset, failed_at,
                                      attempt_history)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?,
                    (SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'worker_id', a.worker_id,
                                'started_at', a.started_at, 'duration_ms', a.duration_ms, 'http_status', a.http_status,
                                'oneall_info', a.oneall_info, 'error_class', a.error_class, 'error', a.error) ORDER BY a.attempt)
                       FROM attempts a WHERE a.command_id = ?))
            """;

    private RecordWriter() {}

    static List<Boolean> write(Connection connection, List<OutcomeRecord> records) throws SQLException {
        insertCommands(connection, records);
        updateCommands(connection, records);
        insertAttempts(connection, records);
        writeEffects(connection, records);
        insertDeadLetters(connection, records);
        return Collections.nCopies(records.size(), Boolean.TRUE);
    }

    private static void insertCommands(Connection connection, List<OutcomeRecord> records) throws SQLException {
        try (var statement = connection.prepareStatement(INSERT_COMMAND)) {
            int count = 0;
            for (var record : records) {
                if (record.insertCommand() && record.commandId() != null) {
                    statement.setString(1, record.commandId());
                    statement.setString(2, record.type());
                    statement.setString(3, record.status());
                    statement.setString(4, record.routingKey() == null ? "" : record.routingKey());
                    statement.setString(5, record.campaignId());
                    statement.setString(6, record.lastError());
                    statement.setString(7, record.lastErrorClass());
                    statement.addBatch();
                    count++;
                }
            }
            execute(statement, count);
        }
    }

    private static void updateCommands(Connection connection, List<OutcomeRecord> records) throws SQLException {
        var updates = records.stream().filter(r -> !r.insertCommand() && r.commandId() != null).toList();
        if (updates.isEmpty()) {
            return;
        }
        try (var statement = connection.prepareStatement(UPDATE_COMMANDS)) {
            statement.setArray(1, texts(connection, updates, OutcomeRecord::commandId));
            statement.setArray(2, texts(connection, updates, OutcomeRecord::status));
            statement.setArray(3, texts(connection, updates, OutcomeRecord::lastError));
            statement.setArray(4, texts(connection, updates, OutcomeRecord::lastErrorClass));
            statement.setArray(5, texts(connection, updates, r -> r.result() == null ? null : r.result().toString()));
            statement.setArray(6, texts(connection, updates, r -> r.nextAttemptAt() == null ? null : r.nextAttemptAt().toString()));
            statement.setArray(7, texts(connection, updates, r -> r.progress() == null ? null : r.progress().toString()));
            statement.executeUpdate();
        }
    }

    private static java.sql.Array texts(Connection connection, List<OutcomeRecord> records,
            java.util.function.Function<OutcomeRecord, String> field) throws SQLException {
        return connection.createArrayOf("text", records.stream().map(field).toArray());
    }

    private static void insertAttempts(Connection connection, List<OutcomeRecord> records) throws SQLException {
        try (var statement = connection.prepareStatement(INSERT_ATTEMPT)) {
            int count = 0;
            for (var record : records) {
                var attempt = record.attempt();
                if (attempt == null) {
                    continue;
                }
                statement.setString(1, record.commandId());
                statement.setInt(2, attempt.attempt());
                statement.setString(3, attempt.workerId());
                Sql.setTimestamp(statement, 4, attempt.startedAt());
                statement.setInt(5, (int) Math.min(Integer.MAX_VALUE, attempt.durationMs()));
                Sql.setInteger(statement, 6, attempt.httpStatus());
                statement.setString(7, attempt.flag());
                statement.setString(8, attempt.info());
                statement.setString(9, attempt.errorClass());
                statement.setString(10, attempt.error());
                statement.addBatch();
                count++;
            }
            execute(statement, count);
        }
    }

    /**
     * One row per message in a batch: the driver rewrites a batch into one multi-row upsert, which may not
     * touch a row twice, and a campaign's re-publishes all touch their message's row.
     */
    private record MessageRow(String token, String commandId, String campaignId, String parts, java.time.Instant created,
            java.time.Instant lastPublished) {
        MessageRow merge(MessageRow other) {
            return new MessageRow(token, first(commandId, other.commandId), first(campaignId, other.campaignId),
                    first(parts, other.parts), first(created, other.created),
                    lastPublished == null || (other.lastPublished != null && other.lastPublished.isAfter(lastPublished))
                            ? other.lastPublished : lastPublished);
        }

        private static <T> T first(T a, T b) {
            return a != null ? a : b;
        }
    }

    private static void writeEffects(Connection connection, List<OutcomeRecord> records) throws SQLException {
        var published = new ArrayList<OutcomeRecord>();
        var messageRows = new java.util.LinkedHashMap<String, MessageRow>();
        var deleted = new java.util.LinkedHashSet<String>();
        var refreshed = new java.util.LinkedHashMap<String, OutcomeRecord.Effect.Refreshed>();
        try (var pushes = connection.prepareStatement(INSERT_PUSH)) {
            int pushCount = 0;
            for (var record : records) {
                var effect = record.effect();
                if (effect instanceof OutcomeRecord.Effect.Published p) {
                    var message = p.data().path("sharing_message");
                    var row = new MessageRow(p.sharingMessageToken(), p.isNewMessage() ? record.commandId() : null, record.campaignId(),
                            p.parts() == null ? null : p.parts().toString(), OneAllDates.parse(message.path("date_creation").asText(null)),
                            OneAllDates.parse(message.path("date_last_published").asText(null)));
                    messageRows.merge(row.token(), row, MessageRow::merge);
                    published.add(record);
                } else if (effect instanceof OutcomeRecord.Effect.Pushed p) {
                    pushes.setString(1, record.commandId());
                    pushes.setString(2, p.identityToken());
                    pushes.setString(3, p.endpoint());
                    pushes.setString(4, text(p.data(), "provider"));
                    pushes.setString(5, text(p.data(), "object"));
                    pushes.setString(6, text(p.data(), "post_id"));
                    pushes.setString(7, text(p.data(), "post_location"));
                    pushes.addBatch();
                    pushCount++;
                } else if (effect instanceof OutcomeRecord.Effect.Deleted d) {
                    deleted.add(d.sharingMessageToken());
                } else if (effect instanceof OutcomeRecord.Effect.Refreshed r) {
                    refreshed.put(r.sharingMessageToken(), r);
                }
            }
            execute(pushes, pushCount);
        }
        try (var messages = connection.prepareStatement(UPSERT_MESSAGE)) {
            for (var row : messageRows.values()) {
                messages.setString(1, row.token());
                messages.setString(2, row.commandId());
                messages.setString(3, row.campaignId());
                messages.setString(4, row.parts());
                Sql.setTimestamp(messages, 5, row.created());
                Sql.setTimestamp(messages, 6, row.lastPublished());
                messages.addBatch();
            }
            execute(messages, messageRows.size());
        }
        try (var deletes = connection.prepareStatement(MARK_DELETED)) {
            for (var token : deleted) {
                deletes.setString(1, token);
                deletes.addBatch();
            }
            execute(deletes, deleted.size());
        }
        try (var refreshes = connection.prepareStatement(MARK_REFRESHED)) {
            for (var r : refreshed.values()) {
                var message = r.data() == null ? null : r.data().path("sharing_message");
                refreshes.setString(1, r.sharingMessageToken());
                Sql.setTimestamp(refreshes, 2, message == null ? null : OneAllDates.parse(message.path("date_creation").asText(null)));
                Sql.setTimestamp(refreshes, 3, message == null ? null : OneAllDates.parse(message.path("date_last_published").asText(null)));
                refreshes.setString(4, message == null || message.path("parts").isMissingNode() ? null : message.path("parts").toString());
                refreshes.addBatch();
            }
            execute(refreshes, refreshed.size());
        }
        writePublications(connection, published);
        writeReferrals(connection, records);
    }

    /** Publications of publishes and re-publishes, with ids drawn in one round trip so that short URLs can point at them. */
    private static void writePublications(Connection connection, List<OutcomeRecord> published) throws SQLException {
        int total = 0;
        for (var record : published) {
            total += Publications.entries(((OutcomeRecord.Effect.Published) record.effect()).data()).size();
        }
        if (total == 0) {
            return;
        }
        var ids = new ArrayList<Long>(total);
        try (var statement = connection.prepareStatement("SELECT nextval('publications_id_seq') FROM generate_series(1, ?)")) {
            statement.setInt(1, total);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        try (var publications = connection.prepareStatement(INSERT_PUBLICATION);
                var shortUrls = connection.prepareStatement(UPSERT_SHORT_URL)) {
            int next = 0;
            int shortUrlCount = 0;
            for (var record : published) {
                var effect = (OutcomeRecord.Effect.Published) record.effect();
                for (var publication : Publications.entries(effect.data())) {
                    long id = ids.get(next++);
                    var status = publication.path("status");
                    publications.setLong(1, id);
                    publications.setString(2, effect.sharingMessageToken());
                    publications.setString(3, record.commandId());
                    publications.setString(4, publication.path("provider").asText("unknown"));
                    publications.setString(5, text(publication, "user_token"));
                    publications.setString(6, text(publication, "identity_token"));
                    publications.setString(7, status.isMissingNode() ? "success" : status.path("flag").asText(null));
                    Sql.setInteger(publications, 8, status.has("code") ? status.path("code").asInt() : null);
                    publications.setString(9, text(status, "message"));
                    Sql.setTimestamp(publications, 10, OneAllDates.parse(text(publication, "date_publication")));
                    publications.addBatch();
                    for (var shortUrl : Publications.shortUrls(publication)) {
                        bindShortUrl(shortUrls, shortUrl, effect.sharingMessageToken(), id);
                        shortUrls.addBatch();
                        shortUrlCount++;
                    }
                }
            }
            execute(publications, total);
            execute(shortUrls, shortUrlCount);
        }
    }

    /** A refresh upserts every tracked short URL of the message and samples its referral count. */
    private static void writeReferrals(Connection connection, List<OutcomeRecord> records) throws SQLException {
        try (var shortUrls = connection.prepareStatement(UPSERT_SHORT_URL);
                var samples = connection.prepareStatement(INSERT_SAMPLE)) {
            int count = 0;
            var seen = new java.util.HashSet<String>();
            for (var record : records) {
                if (!(record.effect() instanceof OutcomeRecord.Effect.Refreshed refreshed) || refreshed.data() == null) {
                    continue;
                }
                for (var publication : Publications.entries(refreshed.data())) {
                    for (var shortUrl : Publications.shortUrls(publication)) {
                        // one row per short URL in the batch (two refreshes of a message may share it)
                        if (text(shortUrl, "shorturl_token") == null || !seen.add(text(shortUrl, "shorturl_token"))) {
                            continue;
                        }
                        bindShortUrl(shortUrls, shortUrl, refreshed.sharingMessageToken(), null);
                        shortUrls.addBatch();
                        samples.setString(1, text(shortUrl, "shorturl_token"));
                        samples.setLong(2, referrals(shortUrl));
                        samples.addBatch();
                        count++;
                    }
                }
            }
            execute(shortUrls, count);
            execute(samples, count);
        }
    }

    private static void bindShortUrl(PreparedStatement statement, JsonNode shortUrl, String messageToken, Long publicationId)
            throws SQLException {
        statement.setString(1, text(shortUrl, "shorturl_token"));
        statement.setString(2, messageToken);
        if (publicationId == null) {
            statement.setNull(3, java.sql.Types.BIGINT);
        } else {
            statement.setLong(3, publicationId);
        }
        statement.setString(4, text(shortUrl, "original_url"));
        statement.setString(5, text(shortUrl, "short_url"));
        Sql.setTimestamp(statement, 6, OneAllDates.parse(text(shortUrl, "date_creation")));
        Sql.setTimestamp(statement, 7, OneAllDates.parse(text(shortUrl, "date_last_referral")));
        statement.setLong(8, referrals(shortUrl));
    }

    /** {@code num_referrals} is a string in OneAll's documented example and may be a number elsewhere. */
    private static long referrals(JsonNode shortUrl) {
        var node = shortUrl.path("num_referrals");
        if (node.isNumber()) {
            return node.asLong();
        }
        var text = node.asText("0").trim();
        return text.matches("\\d{1,18}") ? Long.parseLong(text) : 0;
    }

    private static void insertDeadLetters(Connection connection, List<OutcomeRecord> records) throws SQLException {
        try (var statement = connection.prepareStatement(INSERT_DEAD_LETTER)) {
            int count = 0;
            for (var record : records) {
                var letter = record.deadLetter();
                if (letter == null) {
                    continue;
                }
                statement.setString(1, record.commandId());
                statement.setString(2, record.type());
                statement.setString(3, record.campaignId());
                statement.setBytes(4, letter.key());
                statement.setBytes(5, letter.value() == null ? new byte[0] : letter.value());
                statement.setString(6, letter.headersJson());
                statement.setString(7, letter.errorClass());
                statement.setString(8, letter.error());
                Sql.setInteger(statement, 9, letter.httpStatus());
                statement.setInt(10, letter.attempts());
                statement.setString(11, letter.topic());
                statement.setInt(12, letter.partition());
                statement.setLong(13, letter.offset());
                Sql.setTimestamp(statement, 14, letter.failedAt());
                statement.setString(15, record.commandId());
                statement.addBatch();
                count++;
            }
            execute(statement, count);
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        var value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static void execute(PreparedStatement statement, int count) throws SQLException {
        if (count > 0) {
            statement.executeBatch();
        }
    }
}
