-- Retention per organisation: a closed meeting's personal data is purged this many
-- days after it closed. NULL means the server's default (TAFEL_RETENTION_DAYS).
ALTER TABLE organisations ADD COLUMN retention_days INTEGER;
CREATE INDEX meetings_closed ON meetings (closed_at);
