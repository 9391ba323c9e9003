-- What a command has already achieved on OneAll when it is retried, so that a retry (or a
-- redelivery after a crash) never repeats it: for a publish that OneAll answered with 207, the
-- sharing message created and the providers still to publish to, as
-- {"sharing_message_token": "...", "remaining_providers": ["twitter"]}.
ALTER TABLE commands ADD COLUMN progress jsonb;
