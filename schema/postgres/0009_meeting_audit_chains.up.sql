-- Audit chains per meeting. Every change of a meeting, and every access through
-- the meeting's live session, is chained in that meeting's own chain (chain =
-- the meeting's id), written in the transaction of the change while the meeting
-- is locked anyway; independent meetings never wait on one another. The
-- organisation's chain (chain = '') keeps what belongs to no meeting (sign-ins,
-- accounts, families, exports) and checkpoints of meeting chains' heads. The
-- head of a meeting's chain is kept on its row: a commit moves it only from the
-- head it was decided on, so a cut tail is found by comparing the two.
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_organisation_id_chain_seq_key;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_chain_seq UNIQUE (organisation_id, chain, chain_seq);

ALTER TABLE meetings ADD COLUMN audit_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN audit_hash TEXT NOT NULL DEFAULT '';

-- A commit sends its update of the meeting's row with the seq and chain head it
-- was decided on; this raises when the row did not match, so the whole commit
-- (one implicit transaction) stores nothing and the caller catches up.
CREATE FUNCTION tafel_expect_one(n BIGINT) RETURNS BIGINT AS $$
BEGIN
    IF n <> 1 THEN
        RAISE EXCEPTION 'the meeting moved on since this change was decided' USING ERRCODE = 'TF001';
    END IF;
    RETURN n;
END;
$$ LANGUAGE plpgsql;
