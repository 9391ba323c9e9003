-- Retention (docs/operations.md, "Retention"): a worker deletes the referral samples older than
-- HERALD_RETENTION_REFERRAL_SAMPLES_H in small batches, oldest first, and finds them through this index rather than
-- by a pass over the whole table. Ended commands are found through commands_created_idx (an ended command was created
-- no later than it ended, and no index may cover updated_at: an outcome's update stays HOT), dead letters through
-- dead_letters_failed_idx. Workers of version 6 run unchanged beside it; the refresh's inserts of samples wait while
-- it is built (one pass over the table).
CREATE INDEX referral_samples_sampled_idx ON referral_samples (sampled_at);
