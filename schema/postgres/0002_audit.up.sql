-- The audit log (NEN 7513): who did what to which family's data, when and from
-- where. Rows chain by hash per organisation; the application can only append.
CREATE TABLE audit_log (
    id              BIGSERIAL PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    chain_seq       BIGINT NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
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
    UNIQUE (organisation_id, chain_seq)
);
CREATE INDEX audit_log_family ON audit_log (organisation_id, family_id, at);

CREATE FUNCTION tafel_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION tafel_refuse_change();
