-- Back to one chain per organisation. Only possible while no meeting chain has
-- entries: the audit log is append-only, so they cannot be folded back.
DROP FUNCTION tafel_expect_one(BIGINT);
ALTER TABLE meetings DROP COLUMN audit_hash;
ALTER TABLE meetings DROP COLUMN audit_seq;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_chain_seq;
ALTER TABLE audit_log DROP COLUMN chain;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_organisation_id_chain_seq_key UNIQUE (organisation_id, chain_seq);
