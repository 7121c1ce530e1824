-- A TOTP code works once: the last time step used is remembered per account.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
