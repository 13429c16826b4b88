-- The practice server's tables, as `kap-journal practice init` creates them in an empty
-- PostgreSQL database, run by the database's owner (who needs CREATEROLE, not superuser); who may
-- do what with them is access.sql, which init runs next (and `practice upgrade` after converting
-- a server set up before care teams were explicit: upgrade.sql). See docs/practice-sync.md;
-- tests/practice*.rs run both on a PostgreSQL of their own.
--
-- Append-only by construction: nobody has UPDATE, DELETE or TRUNCATE, and triggers refuse them
-- even to the owner. Row-level security is forced, so the owner reads through the same policies as
-- everyone else.

CREATE SCHEMA kap;

-- The practice's own identity: client codes are unique within it (a FHIR Patient's identifier
-- names it), and its group roles are named by it, so two practices on one cluster share nothing.
CREATE TABLE kap.practice (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    one         boolean NOT NULL DEFAULT true UNIQUE CHECK (one),
    -- The group roles' common prefix, kap_<12 hex of the id>_.
    roles       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kap.practice DEFAULT VALUES;
UPDATE kap.practice SET roles = 'kap_' || substr(replace(id::text, '-', ''), 1, 12) || '_';

-- Who may write: one row per login, made by `practice add-clinician` (as the owner or an admin).
CREATE TABLE kap.clinicians (
    login        name PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    credentials  text NOT NULL DEFAULT '',
    role         text NOT NULL CHECK (role IN ('therapist', 'nurse', 'psychiatrist', 'admin')),
    added_by     name NOT NULL DEFAULT session_user,
    added_at     timestamptz NOT NULL DEFAULT now()
);

-- The Ed25519 keys a clinician signs with, registered when a journal connects, each with its
-- proof of possession (a signature by the key over the login and the practice's identity), so
-- nobody registers another's key: a registration without a good proof is ignored by every journal.
CREATE TABLE kap.signing_keys (
    public_key     text NOT NULL CHECK (public_key ~ '^[0-9a-f]{64}$'),
    login          name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    proof          text CHECK (proof ~ '^[0-9a-f]{128}$'),
    registered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (public_key, login)
);

-- The client registry: an admin or a psychiatrist enrols a client by code (never a name).
CREATE TABLE kap.clients (
    code         text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    enrolled_by  name NOT NULL DEFAULT session_user,
    enrolled_at  timestamptz NOT NULL DEFAULT now()
);

-- Care teams, as a log: each assignment and each end of one, with who and when. A login is on a
-- client's team while its newest row for that client says 'assign'.
CREATE TABLE kap.care_assignments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_code  text NOT NULL REFERENCES kap.clients,
    login        name NOT NULL REFERENCES kap.clinicians,
    action       text NOT NULL CHECK (action IN ('assign', 'unassign')),
    by_login     name NOT NULL DEFAULT session_user,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_assignments_by_client ON kap.care_assignments (client_code, login, id);

-- Emergency access: a clinician opens a client outside their care team, with the reason stated,
-- for a day. Each opening is kept for good and shown to the client's care team and the admin.
CREATE TABLE kap.emergency_access (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_code  text NOT NULL REFERENCES kap.clients,
    login        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    reason       text NOT NULL CHECK (length(btrim(reason)) BETWEEN 10 AND 500),
    opened_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX emergency_access_by_login ON kap.emergency_access (login, opened_at);

-- A session as it ended: pushed once, with its whole timeline. Clients are known by their
-- pseudonymous code only; a display name never leaves the laptop.
CREATE TABLE kap.sessions (
    uuid          uuid PRIMARY KEY,
    author        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    client_code   text NOT NULL REFERENCES kap.clients,
    model         text NOT NULL CHECK (model IN ('medical', 'kap')),
    route         text NOT NULL,
    planned_dose  jsonb NOT NULL,
    intention     text NOT NULL,
    comfort_plan  text NOT NULL,
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz NOT NULL,
    weight_kg     double precision CHECK (weight_kg IS NULL OR weight_kg > 0),
    -- The clinic's IANA time zone the session was held in (null from journals before zones).
    zone          text CHECK (zone IS NULL OR length(zone) BETWEEN 1 AND 64),
    -- The author's seal over the session and its whole timeline (src/practice/row_seal.rs); null
    -- only on sessions pushed before rows were sealed.
    seal_key      text CHECK (length(seal_key) = 64 AND seal_key !~ '[^0-9a-f]'),
    seal          text CHECK (length(seal) = 128 AND seal !~ '[^0-9a-f]'),
    pushed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_by_client ON kap.sessions (client_code, started_at);

-- Sessions pushed before rows were sealed (kept by `practice upgrade`, never added to since):
-- a reader copies their unsealed rows, which nothing shows unchanged since the upgrade.
CREATE TABLE kap.legacy_sessions (
    session_uuid  uuid PRIMARY KEY REFERENCES kap.sessions
);

-- Entries by session and sequence: a sync killed and run again inserts nothing twice. An entry
-- belongs to a session its author added (the row-level check on every insert, access.sql, which
-- the owner is held to as well; sessions are never deleted), so there is no foreign key to pay
-- for on each of a first sync's hundreds of thousands of rows.
CREATE TABLE kap.entries (
    session_uuid  uuid NOT NULL,
    seq           integer NOT NULL CHECK (seq > 0),
    wall_time     timestamptz NOT NULL,
    elapsed_ms    bigint NOT NULL,
    kind          text NOT NULL,
    payload       jsonb NOT NULL,
    PRIMARY KEY (session_uuid, seq)
);

-- The signature with the progress note it covers (a note is pushed once signed, never before:
-- until then it may still change on the laptop).
CREATE TABLE kap.signatures (
    session_uuid    uuid PRIMARY KEY REFERENCES kap.sessions,
    signer          name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    -- The name and credentials as the journal signed with them (the seal covers both).
    signer_name     text NOT NULL,
    signer_credentials text NOT NULL,
    signed_at       timestamptz NOT NULL,
    content_sha256  text NOT NULL CHECK (length(content_sha256) = 64 AND content_sha256 !~ '[^0-9a-f]'),
    public_key      text CHECK (length(public_key) = 64 AND public_key !~ '[^0-9a-f]'),
    signature       text CHECK (length(signature) = 128 AND signature !~ '[^0-9a-f]'),
    progress_note   jsonb
);

-- Addenda by their place in the author's record (first, second, …): never by time, which a
-- clock put right can move before an addendum colleagues already hold.
CREATE TABLE kap.addenda (
    session_uuid  uuid NOT NULL REFERENCES kap.signatures,
    ordinal       integer NOT NULL CHECK (ordinal > 0),
    author        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    author_name   text NOT NULL,
    author_credentials text NOT NULL,
    written_at    timestamptz NOT NULL,
    reason        text NOT NULL,
    text          text NOT NULL,
    seal_key      text CHECK (length(seal_key) = 64 AND seal_key !~ '[^0-9a-f]'),
    seal          text CHECK (length(seal) = 128 AND seal !~ '[^0-9a-f]'),
    PRIMARY KEY (session_uuid, ordinal)
);

-- Integration check-ins once recorded (an open one stays on the laptop until it is done).
CREATE TABLE kap.check_ins (
    session_uuid  uuid NOT NULL REFERENCES kap.sessions,
    kind          text NOT NULL CHECK (kind IN ('next_day', 'one_week')),
    author        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    due           date NOT NULL,
    done          jsonb NOT NULL,
    seal_key      text CHECK (length(seal_key) = 64 AND seal_key !~ '[^0-9a-f]'),
    seal          text CHECK (length(seal) = 128 AND seal !~ '[^0-9a-f]'),
    PRIMARY KEY (session_uuid, kind)
);

-- The newest commit of each journal as its last sync left it (see src/practice/witness.rs): a
-- journal put back from an older copy finds at its next sync that the practice knew a newer one.
-- Each login writes and reads its own notes alone. The journal is a number derived from its key,
-- the entry its number, time and seal: nothing of the record.
CREATE TABLE kap.journal_witnesses (
    journal   text NOT NULL CHECK (journal ~ '^[0-9a-f]{16}$'),
    login     name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    seq       bigint NOT NULL CHECK (seq > 0),
    at_ms     bigint NOT NULL,
    mac       text NOT NULL CHECK (mac ~ '^[0-9a-f]{64}$'),
    noted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journal, seq)
);

-- What journals refused to copy (changed on the server, sealed by a key never proved, signed
-- without a seal, unreadable), reported for the practice's admin: the session's uuid, its author's
-- login and why, never its content. One bad row is listed here instead of stopping every sync.
CREATE TABLE kap.problems (
    session_uuid  uuid NOT NULL,
    author        name NOT NULL,
    why           text NOT NULL CHECK (why IN ('changed', 'forged', 'unregistered_key', 'sealless',
                                               'unreadable', 'row_changed', 'unsealed',
                                               'new_key')),
    reported_by   name NOT NULL DEFAULT session_user,
    reported_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_uuid, reported_by)
);

-- Nothing written is ever changed or removed, by anyone.
CREATE FUNCTION kap.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append-only: % rows are never changed or deleted', TG_TABLE_NAME;
END $$;
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['practice', 'clinicians', 'signing_keys', 'clients',
                             'care_assignments', 'sessions', 'entries', 'signatures', 'addenda',
                             'check_ins', 'journal_witnesses', 'problems',
                             'emergency_access', 'legacy_sessions'] LOOP
        EXECUTE format('CREATE TRIGGER %I_append_only BEFORE UPDATE OR DELETE ON kap.%I
                        FOR EACH ROW EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('CREATE TRIGGER %I_no_truncate BEFORE TRUNCATE ON kap.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('ALTER TABLE kap.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE kap.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON kap.%I FROM PUBLIC', t);
    END LOOP;
END $$;
