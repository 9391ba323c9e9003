-- Reused ids caught (docs/processing.md, "Reused ids"): each command keeps the SHA-256 of its canonical body, and a
-- record whose id the ledger knows with another digest is dead-lettered as `conflict`, beside the command, never sent.
-- A row written before this version has no digest (NULL) and is never taken for a conflict. Adding a nullable column
-- without a default rewrites nothing: workers of version 7 run unchanged beside it, and write rows without a digest.
ALTER TABLE commands ADD COLUMN digest bytea;

ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_class_check;
ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_class_check
    CHECK (error_class IN ('invalid', 'permanent', 'exhausted', 'unknown-outcome', 'credentials', 'conflict')) NOT VALID;
