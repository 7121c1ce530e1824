DROP INDEX meetings_closed;
ALTER TABLE organisations DROP COLUMN retention_days;
