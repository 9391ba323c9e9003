package io.herald.store;

import io.herald.command.CommandStatus;

/**
 * Every statement that writes the ledger's tables, {@code commands} and {@code parked}, in one place (a test over the
 * SQL, {@code TableOwnersTest}, fails when one appears elsewhere); the classes that run them bind their values.
 *
 * <p>Lock order. The ledger writer takes, in one transaction per batch, the rows of {@code commands} (claims, parks,
 * outcomes), then of {@code parked}, then the batch's dead letters, identity holds, campaign counts and outbox rows; the
 * rows of one table in the batch's order. A cancel of one command locks its {@code commands} row first ({@link
 * Cancellations}), as the writer does. Two operators' changes take another row first and meet the writer in reverse:
 * a campaign's cancel locks the {@code campaigns} row, then its recipients' {@code commands} rows; an identity's resume
 * locks its {@code identity_holds} row, then {@code parked}, then {@code commands}. PostgreSQL aborts one side of such a
 * deadlock: the writer writes its batch again, and those two run in {@code Jdbc.inTransactionRetried}.
 */
final class LedgerSql {
    /** A batch of claims in one statement ({@link Claims}). */
    static final String CLAIM = """
            INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, endpoint, metadata, source_topic,
                                       source_partition, source_offset, claimed_by, next_attempt_at, digest)
            SELECT u.command_id, u.type, CASE WHEN u.not_before > now() THEN 'pending' ELSE 'in_flight' END,
                   CASE WHEN u.not_before > now() THEN 0 ELSE 1 END, u.routing_key, u.campaign_id, u.endpoint, u.metadata::jsonb,
                   u.topic, u.partition, u.record_offset, CASE WHEN u.not_before > now() THEN NULL ELSE u.token END,
                   CASE WHEN u.not_before > now() THEN u.not_before END, u.digest
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[],
                          ?::text[], ?::timestamptz[], ?::bigint[], ?::bytea[])
                   AS u(command_id, type, routing_key, campaign_id, endpoint, metadata, topic, partition, record_offset, token,
                        not_before, position, digest)
             WHERE NOT EXISTS (SELECT 1 FROM campaigns k WHERE k.campaign_id = u.campaign_id AND k.status = 'cancelled')
               AND NOT EXISTS (SELECT 1 FROM parked p
                                WHERE p.topic = u.topic AND p.partition = u.partition AND p.routing_key = u.routing_key
                                  AND NOT p.scheduled AND p.command_id <> u.command_id
                                  AND p.position < coalesce(u.position, 9223372036854775807))
               AND NOT EXISTS (SELECT 1 FROM identity_holds h
                                WHERE h.routing_key = u.routing_key AND h.resumed_at IS NULL AND h.ended_at IS NULL
                                  AND (h.expires_at > now() OR u.position IS NOT NULL))
            ON CONFLICT (command_id) DO UPDATE
               SET status = 'in_flight', attempts = c.attempts + 1, claimed_by = EXCLUDED.claimed_by,
                   source_topic = EXCLUDED.source_topic, source_partition = EXCLUDED.source_partition,
                   source_offset = EXCLUDED.source_offset, updated_at = now()
             WHERE c.status = 'pending' AND EXCLUDED.status = 'in_flight'
               AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= now() + interval '100 milliseconds')
               AND (c.digest IS NULL OR EXCLUDED.digest IS NULL OR c.digest = EXCLUDED.digest)
            RETURNING command_id, status, attempts, progress::text, next_attempt_at, replay_base
            """;

    /**
     * The outcomes of a batch under its claims ({@link Changes}). The batch travels as one JSON array (see {@link
     * Changes#batchJson}): the results and attempts are JSON already, so this writes each once, where text arrays would
     * escape them again.
     */
    static final String UNDER_CLAIM = """
            UPDATE commands AS c
               SET status = u.status, attempts = c.attempts - u.released, last_error = u.last_error,
                   last_error_class = u.last_error_class, result = u.result, next_attempt_at = u.next_attempt_at,
                   claimed_by = NULL, progress = COALESCE(u.progress, c.progress),
                   attempt_log = CASE WHEN u.attempt IS NULL THEN c.attempt_log
                                      ELSE COALESCE(c.attempt_log, '[]'::jsonb) || jsonb_build_array(u.attempt) END,
                   updated_at = now()
              FROM jsonb_to_recordset(?::jsonb)
                   AS u(command_id text, token text, status text, released int, last_error text, last_error_class text, result jsonb,
                        next_attempt_at timestamptz, progress jsonb, attempt jsonb)
             WHERE c.command_id = u.command_id AND c.status = 'in_flight' AND c.claimed_by = u.token
            RETURNING c.command_id
            """;

    /** An outcome of a command not claimed: it is new or still {@code pending} ({@link Changes}). */
    static final String PENDING_OR_NEW = pendingOrNew("");

    /**
     * A record that does not read as a command ends the command it names while the id is new, or its row is pending and
     * the record's own: the first parameter after {@link #PENDING_OR_NEW}'s says that a parked record is ({@link
     * BesideLetters}); a consumed one is when the row names its place. A row it does not end stays as it is.
     */
    static final String INVALID = pendingOrNew("""

               AND (?::boolean OR (c.source_topic, c.source_partition, c.source_offset)
                                  = (EXCLUDED.source_topic, EXCLUDED.source_partition, EXCLUDED.source_offset))""");

    private static String pendingOrNew(String condition) {
        return """
                INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, endpoint, metadata, source_topic,
                                           source_partition, source_offset, last_error, last_error_class, result, next_attempt_at, digest)
                VALUES (?, ?, ?, 0, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (command_id) DO UPDATE
                   SET status = EXCLUDED.status, last_error = EXCLUDED.last_error, last_error_class = EXCLUDED.last_error_class,
                       result = COALESCE(EXCLUDED.result, c.result), next_attempt_at = EXCLUDED.next_attempt_at, updated_at = now()
                 WHERE c.status = 'pending'%s
                RETURNING command_id
                """.formatted(condition);
    }

    /** The answer, read back, of a call dead-lettered as an unknown outcome ({@link Changes}). */
    static final String LOST_CALL = """
            UPDATE commands SET status = ?, last_error = ?, last_error_class = NULL, result = ?::jsonb, updated_at = now()
             WHERE command_id = ? AND status = 'dead_lettered' AND last_error_class = 'unknown-outcome' AND attempts = ?
            RETURNING command_id
            """;

    /** An unknown outcome of a call never sent, undone ({@link Unsent}). */
    static final String UNSENT = """
            WITH reopened AS (
                UPDATE commands
                   SET status = 'pending', last_error = ?, last_error_class = NULL, claimed_by = NULL, next_attempt_at = NULL,
                       attempt_log = CASE WHEN ?::jsonb IS NULL THEN attempt_log
                                          ELSE COALESCE(attempt_log, '[]'::jsonb) || jsonb_build_array(?::jsonb) END,
                       updated_at = now()
                 WHERE command_id = ? AND status = 'dead_lettered' AND last_error_class = 'unknown-outcome' AND attempts = ?
             RETURNING command_id, campaign_id, type),
            """ + CampaignTables.UNCOUNT_REOPENED + """
            SELECT command_id FROM reopened
            """;

    /** A dead-lettered command readied to be consumed again ({@link DeadLetterStore#reopen}). */
    static final String REOPEN = """
            WITH reopened AS (
                UPDATE commands SET status = 'pending', replay_base = attempts, last_error = NULL, last_error_class = NULL,
                       claimed_by = NULL, next_attempt_at = NULL, updated_at = now()
                 WHERE command_id = ? AND status = 'dead_lettered'
             RETURNING command_id, campaign_id, type),
            """ + CampaignTables.UNCOUNT_REOPENED + """
            SELECT count(*) FROM reopened""";

    /** The row of a command that is parked ({@link Parking}). */
    static final String PENDING_ROW = """
            INSERT INTO commands AS c (command_id, type, status, attempts, routing_key, campaign_id, endpoint, metadata, source_topic,
                                       source_partition, source_offset, next_attempt_at, digest)
            VALUES (?, ?, 'pending', 0, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
            ON CONFLICT (command_id) DO UPDATE
               SET next_attempt_at = COALESCE(EXCLUDED.next_attempt_at, c.next_attempt_at), updated_at = now()
             WHERE c.status = 'pending' AND (c.digest IS NULL OR EXCLUDED.digest IS NULL OR c.digest = EXCLUDED.digest)
            """;

    /** A command parked, or parked again keeping its place ({@link Parking}). */
    static final String PARK = """
            INSERT INTO parked AS p (command_id, topic, partition, routing_key, position, due_at, scheduled, source_offset, payload,
                                    record_headers)
            VALUES (?, ?, ?, ?, nextval('parked_position_seq'), ?, ?, ?, ?, ?)
            ON CONFLICT (command_id) DO UPDATE
               SET due_at = CASE WHEN EXCLUDED.scheduled OR NOT p.scheduled THEN EXCLUDED.due_at ELSE NULL END,
                   position = CASE WHEN p.scheduled AND NOT EXCLUDED.scheduled THEN nextval('parked_position_seq') ELSE p.position END,
                   scheduled = EXCLUDED.scheduled, topic = EXCLUDED.topic, partition = EXCLUDED.partition
            """;

    /** Commands that ended leave the parking table ({@link Parking}). */
    static final String UNPARK = "DELETE FROM parked WHERE command_id = ANY(?)";

    /**
     * Cancels the {@code pending} commands the selection names, with one parameter ({@code command_id = ?} or
     * {@code campaign_id = ?}) after the last error: they leave the parking table, each campaign counts its recipients
     * among them as ended, and their outcome events go in the outbox ({@link Cancellations}).
     */
    private static String cancelWaiting(String selection) {
        return """
                WITH cancelled AS (
                    UPDATE commands SET status = 'cancelled', next_attempt_at = NULL, claimed_by = NULL, last_error = ?,
                                        last_error_class = NULL, updated_at = now()
                     WHERE %s AND status = 'pending'
                 RETURNING command_id, type, attempts, campaign_id, metadata),
                unparked AS (DELETE FROM parked WHERE command_id IN (SELECT command_id FROM cancelled)),
                """.formatted(selection) + CampaignTables.COUNT_CANCELLED + "\n" + OutboxStore.CANCELLED_EVENTS;
    }

    /** One command waiting in the ledger, cancelled: last error, command id, outcomes topic. */
    static final String CANCEL_COMMAND = cancelWaiting("command_id = ?");

    /** A cancelled campaign's recipients waiting in the ledger, cancelled: last error, campaign id, outcomes topic. */
    static final String CANCEL_CAMPAIGN = cancelWaiting("campaign_id = ?");

    /** A command not consumed yet, recorded {@code cancelled}: command id, last error, outcomes topic. */
    static final String CANCEL_UNCONSUMED = """
            WITH cancelled AS (
                INSERT INTO commands (command_id, type, status, attempts, routing_key, last_error)
                VALUES (?, 'unknown', 'cancelled', 0, '', ?)
                ON CONFLICT (command_id) DO NOTHING
             RETURNING command_id, type, attempts, campaign_id, metadata)
            """ + OutboxStore.CANCELLED_EVENTS;

    /** A resumed identity's waiting commands are due now: first their parked rows, then their ledger rows ({@link IdentityHolds}). */
    static final String RESUME_PARKED =
            "UPDATE parked SET due_at = now() WHERE routing_key = ? AND NOT scheduled AND due_at IS NOT NULL";

    static final String RESUME_COMMANDS = """
            UPDATE commands SET next_attempt_at = now() WHERE command_id IN (SELECT command_id FROM parked WHERE routing_key = ?)
               AND status = 'pending'""";

    /** A batch of ended commands past their retention, each still needed kept ({@link Pruning}). */
    static final String PRUNE = """
            DELETE FROM commands WHERE command_id IN (
                SELECT c.command_id FROM commands c
                 WHERE c.created_at < ? AND c.updated_at < ? AND c.status IN""" + " " + CommandStatus.sqlList(CommandStatus.ENDED) + """

                   AND NOT EXISTS (SELECT 1 FROM parked p WHERE p.command_id = c.command_id)
                   AND NOT EXISTS (SELECT 1 FROM identity_holds h
                                    WHERE h.command_id = c.command_id AND h.resumed_at IS NULL AND h.ended_at IS NULL)
                   AND NOT EXISTS (SELECT 1 FROM campaigns k WHERE k.campaign_id = c.campaign_id AND k.status = 'active')
                   AND NOT EXISTS (SELECT 1 FROM dead_letters d
                                    WHERE d.command_id = c.command_id AND d.replayed_at IS NULL AND d.superseded_at IS NULL)
                 ORDER BY c.created_at LIMIT ? FOR UPDATE SKIP LOCKED)""";

    private LedgerSql() {}
}
