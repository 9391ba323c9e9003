-- The headers of a command's Kafka record, kept as they came (docs/commands.md, headers): with the command while it
-- waits in the parking table, so that a retry or a drain after a restart continues the trace its traceparent names;
-- with an outbox row, so that a dead letter keeps them and an outcome event carries the trace, whichever worker sends
-- the row; with a dead letter, so that a replay produces the command again with them. Encoded by RecordHeaders;
-- NULL: the record had none.
ALTER TABLE parked ADD COLUMN record_headers bytea;
ALTER TABLE outbox ADD COLUMN record_headers bytea;
ALTER TABLE dead_letters ADD COLUMN record_headers bytea;
