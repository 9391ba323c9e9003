-- Herald's ledger and reporting tables (contract §4). The worker's hot path reads and writes
-- `commands` and `attempts`; the other tables record what OneAll did and are read by people.

-- One row per command_id: the idempotency ledger. A command is claimed (in_flight, attempts + 1)
-- before each call to OneAll, so a second delivery of a succeeded command is never sent again and
-- a command found in_flight after a crash is known to have an unknown outcome.
CREATE TABLE commands (
    command_id        text PRIMARY KEY,
    type              text        NOT NULL,
    status            text        NOT NULL,
    attempts          integer     NOT NULL DEFAULT 0,
    last_error        text,
    last_error_class  text,
    campaign_id       text,
    routing_key       text        NOT NULL,
    source_topic      text,
    source_partition  integer,
    source_offset     bigint,
    -- the original Kafka value, kept while the command waits for a retry or behind one
    payload           bytea,
    metadata          jsonb,
    result            jsonb,
    next_attempt_at   timestamptz,
    claimed_by        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT commands_status_check CHECK (status IN
        ('pending', 'in_flight', 'succeeded', 'partial', 'dead_lettered', 'cancelled')),
    CONSTRAINT commands_type_check CHECK (type IN
        ('publish', 'republish', 'push', 'delete', 'refresh', 'campaign', 'unknown'))
);
CREATE INDEX commands_campaign_status_idx ON commands (campaign_id, status) WHERE campaign_id IS NOT NULL;
-- commands waiting for a retry, or queued behind one of their routing key, per partition in order
CREATE INDEX commands_waiting_idx ON commands (source_partition, routing_key, source_offset) WHERE status = 'pending';
CREATE INDEX commands_in_flight_idx ON commands (claimed_by) WHERE status = 'in_flight';
CREATE INDEX commands_updated_idx ON commands (updated_at);

-- Every call made to OneAll for a command.
CREATE TABLE attempts (
    command_id    text        NOT NULL REFERENCES commands (command_id) ON DELETE CASCADE,
    attempt       integer     NOT NULL,
    worker_id     text,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    duration_ms   integer,
    http_status   integer,
    oneall_flag   text,
    oneall_code   integer,
    oneall_info   text,
    error_class   text,
    error         text,
    PRIMARY KEY (command_id, attempt)
);

-- Sharing messages published (or read) through OneAll's Sharing API.
CREATE TABLE sharing_messages (
    sharing_message_token text PRIMARY KEY,
    command_id            text,
    campaign_id           text,
    parts                 jsonb,
    date_creation         timestamptz,
    date_last_published   timestamptz,
    deleted_at            timestamptz,
    refreshed_at          timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sharing_messages_campaign_idx ON sharing_messages (campaign_id) WHERE campaign_id IS NOT NULL;

-- One row per publication of a message on one social account.
CREATE TABLE publications (
    id                    bigserial PRIMARY KEY,
    sharing_message_token text        NOT NULL REFERENCES sharing_messages (sharing_message_token),
    command_id            text,
    provider              text        NOT NULL,
    user_token            text,
    identity_token        text,
    status_flag           text,
    status_code           integer,
    status_message        text,
    date_publication      timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publications_message_idx ON publications (sharing_message_token);
CREATE INDEX publications_command_idx ON publications (command_id);

-- OneAll's tracked short URLs, with the latest referral count read.
CREATE TABLE short_urls (
    shorturl_token        text PRIMARY KEY,
    sharing_message_token text        NOT NULL REFERENCES sharing_messages (sharing_message_token),
    publication_id        bigint      REFERENCES publications (id),
    original_url          text,
    short_url             text,
    date_creation         timestamptz,
    date_last_referral    timestamptz,
    num_referrals         bigint      NOT NULL DEFAULT 0,
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX short_urls_message_idx ON short_urls (sharing_message_token);

-- Referral counts over time, one sample per short URL and refresh, so growth can be shown.
CREATE TABLE referral_samples (
    shorturl_token text        NOT NULL REFERENCES short_urls (shorturl_token),
    sampled_at     timestamptz NOT NULL,
    num_referrals  bigint      NOT NULL,
    PRIMARY KEY (shorturl_token, sampled_at)
);

-- The result of a Push API call.
CREATE TABLE push_results (
    command_id     text PRIMARY KEY REFERENCES commands (command_id),
    identity_token text        NOT NULL,
    endpoint       text        NOT NULL,
    provider       text,
    object         text,
    post_id        text,
    post_location  text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_results_identity_idx ON push_results (identity_token);

-- Campaigns: one message published once, re-published per further recipient.
CREATE TABLE campaigns (
    campaign_id           text PRIMARY KEY,
    sharing_message_token text,
    parts                 jsonb,
    recipients_total      integer     NOT NULL DEFAULT 0,
    status                text        NOT NULL DEFAULT 'active',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT campaigns_status_check CHECK (status IN ('active', 'completed', 'cancelled'))
);

-- The campaign commands of one campaign (a large one arrives in several parts).
CREATE TABLE campaign_parts (
    campaign_id      text    NOT NULL REFERENCES campaigns (campaign_id),
    command_id       text    NOT NULL,
    recipient_offset integer NOT NULL,
    recipients       integer NOT NULL,
    fanned_out_at    timestamptz,
    PRIMARY KEY (campaign_id, command_id)
);

-- Every dead letter, as sent to the dead-letter topic, and what became of it.
CREATE TABLE dead_letters (
    id                 bigserial PRIMARY KEY,
    command_id         text,
    type               text,
    campaign_id        text,
    record_key         bytea,
    record_value       bytea       NOT NULL,
    headers            jsonb       NOT NULL,
    error_class        text        NOT NULL,
    error              text        NOT NULL,
    http_status        integer,
    attempts           integer     NOT NULL DEFAULT 0,
    original_topic     text,
    original_partition integer,
    original_offset    bigint,
    failed_at          timestamptz NOT NULL DEFAULT now(),
    replayed_at        timestamptz,
    replayed_by        text,
    replay_count       integer     NOT NULL DEFAULT 0,
    CONSTRAINT dead_letters_class_check CHECK (error_class IN ('invalid', 'permanent', 'exhausted', 'unknown-outcome'))
);
CREATE INDEX dead_letters_failed_idx ON dead_letters (failed_at);
CREATE INDEX dead_letters_class_idx ON dead_letters (error_class, failed_at);
CREATE INDEX dead_letters_command_idx ON dead_letters (command_id);
CREATE INDEX dead_letters_campaign_idx ON dead_letters (campaign_id) WHERE campaign_id IS NOT NULL;
