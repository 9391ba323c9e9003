-- A dead letter keeps the history of its command's calls to OneAll as it was when it was
-- dead-lettered (the attempts table goes on growing if the command is replayed).
ALTER TABLE dead_letters ADD COLUMN attempt_history jsonb;
