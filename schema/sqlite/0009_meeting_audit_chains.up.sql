-- Audit chains per meeting (see the Postgres migration of the same number for
-- the design). SQLite cannot change a table's constraints, so the table is
-- rebuilt with its rows, ids and hashes as they were.
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
CREATE TABLE audit_log_chains (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id TEXT NOT NULL,
    chain           TEXT NOT NULL DEFAULT '',
    chain_seq       INTEGER NOT NULL,
    at              DATETIME NOT NULL,
    actor_type      TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    on_behalf_of    TEXT NOT NULL,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       TEXT NOT NULL,
    family_id       TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    address         TEXT NOT NULL,
    user_agent      TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL,
    UNIQUE (organisation_id, chain, chain_seq)
);
INSERT INTO audit_log_chains (id, organisation_id, chain, chain_seq, at, actor_type, actor_id, actor_role, on_behalf_of,
    action, object_type, object_id, family_id, outcome, detail, address, user_agent, prev_hash, hash)
SELECT id, organisation_id, '', chain_seq, at, actor_type, actor_id, actor_role, on_behalf_of,
    action, object_type, object_id, family_id, outcome, detail, address, user_agent, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_chains RENAME TO audit_log;
CREATE INDEX audit_log_family ON audit_log (organisation_id, family_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'rows of audit_log are append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'rows of audit_log are append-only'); END;

ALTER TABLE meetings ADD COLUMN audit_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN audit_hash TEXT NOT NULL DEFAULT '';
