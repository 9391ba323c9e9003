-- Campaign fan-out (issue 6). A campaign publishes its message once, for one recipient (its
-- publisher), and re-publishes it for every other recipient; the parts of a large campaign fan out
-- in windows, and a cancelled campaign stops the recipients not yet sent.
ALTER TABLE campaigns
    -- the fan-out command ids that were chosen to publish the message, in order; the last one is current
    ADD COLUMN publisher_ids    text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN publish_sent_at  timestamptz,
    ADD COLUMN cancelled_at     timestamptz,
    ADD COLUMN completed_at     timestamptz,
    ADD COLUMN last_refresh_at  timestamptz;

ALTER TABLE campaign_parts
    ADD COLUMN state      text    NOT NULL DEFAULT 'waiting',
    -- recipients of this part whose fan-out command Kafka has acknowledged, from the first on
    ADD COLUMN fanned_out integer NOT NULL DEFAULT 0,
    ADD COLUMN payload    bytea,
    ADD CONSTRAINT campaign_parts_state_check CHECK (state IN ('waiting', 'fanning_out', 'fanned_out', 'cancelled'));

-- active campaigns, for the refresh schedule
CREATE INDEX campaigns_active_idx ON campaigns (last_refresh_at) WHERE status = 'active';
