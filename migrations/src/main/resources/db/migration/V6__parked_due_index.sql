-- Commands waiting in the ledger that are due: their retry's or their schedule's time has come, or their identity was
-- resumed. KEDA counts them to add workers (deploy/kubernetes/keda-scaledobject.yaml), so the count reads this index
-- rather than the whole table. Commands waiting behind their account (no due_at) are not in it.
-- Workers of version 5 run unchanged beside it; writes to `parked` wait while it is built (one pass over the table).
CREATE INDEX parked_due_idx ON parked (due_at) WHERE due_at IS NOT NULL;
