-- A fenced ledger, a parking table, an outbox and identity holds (see docs/processing.md).

-- Partition ownership. Every assignment of a partition to a worker raises the partition's epoch; a
-- worker's claims and parks are conditional on the epoch it got, under a shared advisory lock that
-- the raise takes exclusively, so a worker that froze past its session timeout, and lost the
-- partition meanwhile, can no longer claim, park or drain the partition's commands.
CREATE TABLE partition_leases (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    epoch       bigint      NOT NULL,
    owner       text        NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

-- Commands waiting in the ledger with their Kafka value, so their offsets can be committed: a
-- command waiting for a retry (or for its identity's credentials) heads its account, the account's
-- later commands wait behind it in `position` order; a scheduled command (not_before) waits on its
-- own and does not hold its account. The row goes when the command ends.
CREATE SEQUENCE parked_position_seq;
CREATE TABLE parked (
    command_id    text        PRIMARY KEY REFERENCES commands (command_id) ON DELETE CASCADE,
    topic         text        NOT NULL,
    partition     integer     NOT NULL,
    routing_key   text        NOT NULL,
    position      bigint      NOT NULL,
    -- when the command may go: its retry or its schedule; NULL: in its account's turn
    due_at        timestamptz,
    scheduled     boolean     NOT NULL DEFAULT false,
    source_offset bigint      NOT NULL,
    payload       bytea       NOT NULL,
    parked_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parked_account_idx ON parked (topic, partition, routing_key, position);
CREATE INDEX parked_scheduled_idx ON parked (topic, partition, due_at) WHERE scheduled;

INSERT INTO parked (command_id, topic, partition, routing_key, position, due_at, source_offset, payload)
SELECT command_id, source_topic, source_partition, routing_key, source_offset, next_attempt_at, source_offset, payload
  FROM commands
 WHERE status = 'pending' AND payload IS NOT NULL AND source_topic IS NOT NULL AND source_offset IS NOT NULL;
SELECT setval('parked_position_seq', coalesce((SELECT max(position) FROM parked), 0) + 1);

-- Every call made for a command, on its row: one statement records an outcome with its attempt, and
-- the row is updated in place (HOT) because no index covers a column that an outcome changes.
ALTER TABLE commands ADD COLUMN attempt_log jsonb;
UPDATE commands c
   SET attempt_log = (SELECT jsonb_agg(jsonb_build_object(
                          'attempt', a.attempt, 'worker_id', a.worker_id, 'started_at', a.started_at,
                          'duration_ms', a.duration_ms, 'http_status', a.http_status, 'oneall_flag', a.oneall_flag,
                          'oneall_info', a.oneall_info, 'error_class', a.error_class, 'error', a.error) ORDER BY a.attempt)
                        FROM attempts a WHERE a.command_id = c.command_id)
 WHERE EXISTS (SELECT 1 FROM attempts a WHERE a.command_id = c.command_id);
DROP TABLE attempts;
CREATE VIEW attempts AS
SELECT c.command_id, (e ->> 'attempt')::integer AS attempt, e ->> 'worker_id' AS worker_id,
       (e ->> 'started_at')::timestamptz AS started_at, (e ->> 'duration_ms')::integer AS duration_ms,
       (e ->> 'http_status')::integer AS http_status, e ->> 'oneall_flag' AS oneall_flag,
       e ->> 'oneall_info' AS oneall_info, e ->> 'error_class' AS error_class, e ->> 'error' AS error
  FROM commands c, jsonb_array_elements(c.attempt_log) e;

-- A replayed command gets a fresh budget of attempts while `attempts` goes on counting every call:
-- its retries count from the attempts it had made when it was replayed.
ALTER TABLE commands ADD COLUMN replay_base integer NOT NULL DEFAULT 0;

-- The push endpoint of a push command (a command's other columns say the rest).
ALTER TABLE commands ADD COLUMN endpoint text;
ALTER TABLE commands DROP COLUMN payload;
ALTER TABLE commands SET (fillfactor = 80);

DROP INDEX commands_waiting_idx;
DROP INDEX commands_in_flight_idx;
DROP INDEX commands_updated_idx;
DROP INDEX commands_campaign_status_idx;
CREATE INDEX commands_campaign_idx ON commands (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX commands_created_idx ON commands (created_at);
CREATE INDEX commands_routing_key_idx ON commands (routing_key);

-- A push's result, as a view of the command: the row holds OneAll's result.data.
UPDATE commands c SET endpoint = p.endpoint FROM push_results p WHERE p.command_id = c.command_id;
DROP TABLE push_results;
CREATE VIEW push_results AS
SELECT command_id, routing_key AS identity_token, endpoint, result ->> 'provider' AS provider,
       result ->> 'object' AS object, result ->> 'post_id' AS post_id, result ->> 'post_location' AS post_location,
       updated_at AS created_at
  FROM commands
 WHERE type = 'push' AND status = 'succeeded';

-- Dead-letter records and outcome events, written in the transaction of the ledger change that makes
-- them; a relay sends them to Kafka and deletes them once Kafka has them (at least once).
CREATE TABLE outbox (
    id           bigserial   PRIMARY KEY,
    topic        text        NOT NULL,
    record_key   bytea,
    record_value bytea       NOT NULL,
    headers      jsonb,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Identities (routing keys) whose commands wait because OneAll refused their credentials while the
-- site's keys were good; resumed by an operator, or their commands dead-lettered when it expires.
CREATE TABLE identity_holds (
    routing_key text        PRIMARY KEY,
    command_id  text        NOT NULL,
    http_status integer,
    reason      text        NOT NULL,
    held_at     timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    resumed_at  timestamptz,
    resumed_by  text,
    -- when its waiting commands were dead-lettered because it expired unresumed
    ended_at    timestamptz
);

-- Publications are recorded once: a re-publish answer that carries the whole message does not add
-- its earlier publications again.
ALTER TABLE publications ADD COLUMN publication_key text;
UPDATE publications
   SET publication_key = md5(provider || '|' || coalesce(user_token, '') || '|' || coalesce(identity_token, '') || '|'
                             || coalesce(date_publication::text, '') || '|' || coalesce(status_flag, '') || '|' || id);
ALTER TABLE publications ALTER COLUMN publication_key SET NOT NULL;
CREATE UNIQUE INDEX publications_key_idx ON publications (sharing_message_token, publication_key);

-- A campaign counts its ended recipients as they end, so its window needs no count over the ledger.
ALTER TABLE campaigns ADD COLUMN recipients_ended integer NOT NULL DEFAULT 0;
UPDATE campaigns k
   SET recipients_ended = (SELECT count(*) FROM commands c
                            WHERE c.campaign_id = k.campaign_id AND c.type IN ('publish', 'republish')
                              AND c.status IN ('succeeded', 'partial', 'dead_lettered', 'cancelled')
                              AND left(c.command_id, length(k.campaign_id) + 1) = k.campaign_id || ':');

-- A dead letter of class credentials (an identity held too long); one whose late answer showed the
-- call succeeded after all is superseded, and replay skips it.
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_class_check;
ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_class_check
    CHECK (error_class IN ('invalid', 'permanent', 'exhausted', 'unknown-outcome', 'credentials'));
ALTER TABLE dead_letters ADD COLUMN superseded_at timestamptz;
