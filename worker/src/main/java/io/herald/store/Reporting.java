package io.herald.store;

import io.herald.command.api.Publication;
import io.herald.command.api.SharingMessage;
import io.herald.command.api.ShortUrl;
import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reporting tables of what OneAll did (docs/reporting.md): messages, publications, tracked short URLs and their
 * referral samples, from answers already decoded. Every write is an upsert: recording a publication again (a
 * re-publish answered with the whole message, a refresh, a retried batch) changes nothing. Rows a batch touches twice
 * are merged first, since one statement may not update a row twice.
 */
final class Reporting {
    private static final String UPSERT_MESSAGE = """
            INSERT INTO sharing_messages AS m (sharing_message_token, command_id, campaign_id, parts, date_creation, date_last_published,
                                               deleted_at, refreshed_at)
            VALUES (?, ?, ?, ?::jsonb, ?, ?, CASE WHEN ? THEN now() END, CASE WHEN ? THEN now() END)
            ON CONFLICT (sharing_message_token) DO UPDATE
               SET command_id = COALESCE(m.command_id, EXCLUDED.command_id), campaign_id = COALESCE(m.campaign_id, EXCLUDED.campaign_id),
                   parts = COALESCE(m.parts, EXCLUDED.parts), date_creation = COALESCE(m.date_creation, EXCLUDED.date_creation),
                   date_last_published = GREATEST(m.date_last_published, EXCLUDED.date_last_published),
                   deleted_at = COALESCE(EXCLUDED.deleted_at, m.deleted_at), refreshed_at = COALESCE(EXCLUDED.refreshed_at, m.refreshed_at),
                   updated_at = now()
            """;
    private static final String INSERT_PUBLICATION = """
            INSERT INTO publications (sharing_message_token, command_id, provider, user_token, identity_token, status_flag, status_code,
                                      status_message, date_publication, publication_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (sharing_message_token, publication_key) DO NOTHING
            """;
    private static final String UPSERT_SHORT_URL = """
            INSERT INTO short_urls AS s (shorturl_token, sharing_message_token, publication_id, original_url, short_url, date_creation,
                                         date_last_referral, num_referrals)
            VALUES (?, ?, (SELECT id FROM publications WHERE sharing_message_token = ? AND publication_key = ?), ?, ?, ?, ?, ?)
            ON CONFLICT (shorturl_token) DO UPDATE
               SET num_referrals = GREATEST(s.num_referrals, EXCLUDED.num_referrals),
                   date_last_referral = COALESCE(EXCLUDED.date_last_referral, s.date_last_referral),
                   publication_id = COALESCE(s.publication_id, EXCLUDED.publication_id), updated_at = now()
            """;
    private static final String SAMPLE = """
            INSERT INTO referral_samples (shorturl_token, sampled_at, num_referrals) VALUES (?, now(), ?) ON CONFLICT DO NOTHING
            """;
    /** A batch of referral samples past their retention ({@link Pruning}). */
    static final String PRUNE_SAMPLES = """
            DELETE FROM referral_samples WHERE (shorturl_token, sampled_at) IN (
                SELECT shorturl_token, sampled_at FROM referral_samples WHERE sampled_at < ?
                 ORDER BY sampled_at LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private Reporting() {}

    private record MessageRow(
            String token,
            String commandId,
            String campaignId,
            String parts,
            Instant created,
            Instant lastPublished,
            boolean deleted,
            boolean refreshed) {
        MessageRow merge(MessageRow other) {
            return new MessageRow(
                    token,
                    first(commandId, other.commandId),
                    first(campaignId, other.campaignId),
                    first(parts, other.parts),
                    first(created, other.created),
                    lastPublished == null || other.lastPublished != null && other.lastPublished.isAfter(lastPublished)
                            ? other.lastPublished
                            : lastPublished,
                    deleted || other.deleted,
                    refreshed || other.refreshed);
        }

        private static <T> T first(T a, T b) {
            return a != null ? a : b;
        }
    }

    private record PublicationRow(String token, String commandId, Publication publication) {}

    static void write(Connection connection, List<LedgerChange> changes) throws SQLException {
        write(connection, changes, true);
    }

    /** {@code sampleReferrals}: a refresh's referral counts are also kept as samples over time. */
    private static void write(Connection connection, List<LedgerChange> changes, boolean sampleReferrals)
            throws SQLException {
        var messages = new LinkedHashMap<String, MessageRow>();
        var publications = new LinkedHashMap<String, PublicationRow>();
        var sampled = new LinkedHashMap<String, ShortUrlRow>();
        for (var change : changes) {
            var effects = change.effects;
            if (effects instanceof Effects.Published published
                    && published.message().token() != null) {
                addPublished(change, published, messages, publications);
            } else if (effects instanceof Effects.Refreshed refreshed
                    && refreshed.message().token() != null) {
                addRefreshed(change, refreshed, messages, publications, sampled);
            } else if (effects instanceof Effects.Deleted deleted) {
                messages.merge(
                        deleted.sharingMessageToken(),
                        new MessageRow(deleted.sharingMessageToken(), null, null, null, null, null, true, false),
                        MessageRow::merge);
            }
        }
        if (messages.isEmpty()) {
            return;
        }
        upsertMessages(connection, messages.values());
        insertPublications(connection, publications.values());
        var urls = new LinkedHashMap<String, ShortUrlRow>();
        for (var row : publications.values()) {
            row.publication()
                    .shortUrls()
                    .forEach(
                            url -> urls.putIfAbsent(url.token(), new ShortUrlRow(row.token(), row.publication(), url)));
        }
        urls.putAll(sampled);
        upsertShortUrls(connection, urls.values());
        if (sampleReferrals) {
            sample(connection, sampled.values());
        }
    }

    /** A publish's message, and its publications for the command's target. */
    private static void addPublished(
            LedgerChange change,
            Effects.Published published,
            Map<String, MessageRow> messages,
            Map<String, PublicationRow> publications) {
        var message = published.message();
        messages.merge(
                message.token(),
                new MessageRow(
                        message.token(),
                        published.newMessage() ? change.command.commandId() : null,
                        change.command.campaignId(),
                        published.partsJson(),
                        message.dateCreation(),
                        message.dateLastPublished(),
                        false,
                        false),
                MessageRow::merge);
        for (var publication : message.publications()) {
            if (publication.isFor(published.target())) {
                publications.putIfAbsent(
                        message.token() + "|" + publication.key(),
                        new PublicationRow(message.token(), change.command.commandId(), publication));
            }
        }
    }

    /** A refreshed message, all its publications, and their short URLs' referral counts to sample. */
    private static void addRefreshed(
            LedgerChange change,
            Effects.Refreshed refreshed,
            Map<String, MessageRow> messages,
            Map<String, PublicationRow> publications,
            Map<String, ShortUrlRow> sampled) {
        var message = refreshed.message();
        messages.merge(
                message.token(),
                new MessageRow(
                        message.token(),
                        null,
                        change.command.campaignId(),
                        null,
                        message.dateCreation(),
                        message.dateLastPublished(),
                        false,
                        true),
                MessageRow::merge);
        for (var publication : message.publications()) {
            publications.putIfAbsent(
                    message.token() + "|" + publication.key(), new PublicationRow(message.token(), null, publication));
            publication
                    .shortUrls()
                    .forEach(url -> sampled.put(url.token(), new ShortUrlRow(message.token(), publication, url)));
        }
    }

    private static void upsertMessages(Connection connection, java.util.Collection<MessageRow> rows)
            throws SQLException {
        Jdbc.batch(connection, UPSERT_MESSAGE, rows, (statement, row) -> {
            Jdbc.bind(connection, statement, 1, row.token());
            Jdbc.bind(connection, statement, 2, row.commandId());
            Jdbc.bind(connection, statement, 3, row.campaignId());
            Jdbc.bind(connection, statement, 4, row.parts());
            Jdbc.bind(connection, statement, 5, row.created());
            Jdbc.bind(connection, statement, 6, row.lastPublished());
            statement.setBoolean(7, row.deleted());
            statement.setBoolean(8, row.refreshed());
        });
    }

    private record ShortUrlRow(String messageToken, Publication publication, ShortUrl url) {}

    private static void insertPublications(Connection connection, java.util.Collection<PublicationRow> rows)
            throws SQLException {
        Jdbc.batch(connection, INSERT_PUBLICATION, rows, (statement, row) -> {
            var publication = row.publication();
            Jdbc.bind(connection, statement, 1, row.token());
            Jdbc.bind(connection, statement, 2, row.commandId());
            Jdbc.bind(connection, statement, 3, publication.provider());
            Jdbc.bind(connection, statement, 4, publication.userToken());
            Jdbc.bind(connection, statement, 5, publication.identityToken());
            Jdbc.bind(connection, statement, 6, publication.flag());
            Jdbc.bind(connection, statement, 7, publication.code());
            Jdbc.bind(connection, statement, 8, publication.message());
            Jdbc.bind(connection, statement, 9, publication.datePublication());
            Jdbc.bind(connection, statement, 10, publication.key());
        });
    }

    private static void upsertShortUrls(Connection connection, java.util.Collection<ShortUrlRow> rows)
            throws SQLException {
        Jdbc.batch(connection, UPSERT_SHORT_URL, rows, (statement, row) -> {
            var url = row.url();
            Jdbc.bind(connection, statement, 1, url.token());
            Jdbc.bind(connection, statement, 2, row.messageToken());
            Jdbc.bind(connection, statement, 3, row.messageToken());
            Jdbc.bind(connection, statement, 4, row.publication().key());
            Jdbc.bind(connection, statement, 5, url.originalUrl());
            Jdbc.bind(connection, statement, 6, url.shortUrl());
            Jdbc.bind(connection, statement, 7, url.dateCreation());
            Jdbc.bind(connection, statement, 8, url.dateLastReferral());
            statement.setLong(9, url.referrals());
        });
    }

    private static void sample(Connection connection, java.util.Collection<ShortUrlRow> rows) throws SQLException {
        Jdbc.batch(connection, SAMPLE, rows, (statement, row) -> {
            statement.setString(1, row.url().token());
            statement.setLong(2, row.url().referrals());
        });
    }

    /**
     * The messages a list returned, with their publications, imported into the reporting tables ({@code herald messages --import}).
     * An import takes no referral sample: importing the same messages twice adds nothing.
     */
    static List<String> importMessages(Connection connection, List<SharingMessage> messages) throws SQLException {
        var changes = new ArrayList<LedgerChange>();
        var imported = new ArrayList<String>();
        for (var message : messages) {
            if (message.token() == null) {
                continue;
            }
            var change = LedgerChange.ended(
                            new CommandRef("import:" + message.token(), "refresh", message.token(), null, null, null),
                            null,
                            new LedgerChange.Guard.None(),
                            io.herald.command.CommandStatus.SUCCEEDED)
                    .withEffects(new Effects.Refreshed(message));
            changes.add(change);
            imported.add(message.token());
        }
        write(connection, changes, false);
        return imported;
    }
}
