-- Tafel's first schema: tenants, accounts, families, meetings and their event log.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'coordinator')),
    password_hash   TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE sessions (
    id_hash         TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    created_at      TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time links to set up the first account, or a new account's password.
CREATE TABLE setup_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT REFERENCES users(id) ON DELETE CASCADE,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);

CREATE TABLE families (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    label           TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX families_organisation ON families (organisation_id, created_at);

CREATE TABLE meetings (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    family_id       TEXT NOT NULL REFERENCES families(id),
    title           TEXT NOT NULL,
    date            TEXT NOT NULL,
    options         TEXT NOT NULL,
    join_code       TEXT NOT NULL UNIQUE,
    phase           TEXT NOT NULL,
    last_seq        BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ
);
CREATE INDEX meetings_organisation ON meetings (organisation_id, created_at);
CREATE INDEX meetings_family ON meetings (family_id);

-- The event log: every change of a meeting, in order. Data is the event's JSON.
CREATE TABLE meeting_events (
    meeting_id      TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    name            TEXT NOT NULL,
    scope           TEXT NOT NULL,
    participant_id  TEXT NOT NULL DEFAULT '',
    data            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (meeting_id, seq)
);

-- Commands already carried out, so a resent command id changes nothing.
CREATE TABLE meeting_commands (
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    actor       TEXT NOT NULL,
    command_id  TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, actor, command_id)
);

CREATE TABLE participants (
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (meeting_id, id)
);

-- Closed plans: immutable once written.
CREATE TABLE plan_versions (
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    closed_at   TIMESTAMPTZ NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (meeting_id, number)
);

-- The log and closed plans are never changed in place.
CREATE FUNCTION tafel_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are immutable', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER meeting_events_immutable BEFORE UPDATE ON meeting_events
    FOR EACH ROW EXECUTE FUNCTION tafel_refuse_update();
CREATE TRIGGER plan_versions_immutable BEFORE UPDATE ON plan_versions
    FOR EACH ROW EXECUTE FUNCTION tafel_refuse_update();
