-- The practice server's schema, as `kap-journal practice init` creates it in an empty PostgreSQL
-- database, run by the database's owner (who needs CREATEROLE, not superuser). See
-- docs/practice-sync.md; tests/practice*.rs run it on a PostgreSQL of their own.
--
-- Append-only by construction: clinician logins may INSERT their own rows and SELECT what their
-- role allows; nobody has UPDATE, DELETE or TRUNCATE, and triggers refuse both even to the owner.
-- Row-level security is forced, so the owner reads through the same policies as everyone else.

-- The group roles belong to the whole cluster; a second practice on it shares them.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kap_clinician') THEN
        CREATE ROLE kap_clinician NOLOGIN;
        CREATE ROLE kap_therapist NOLOGIN IN ROLE kap_clinician;
        CREATE ROLE kap_nurse NOLOGIN IN ROLE kap_clinician;
        CREATE ROLE kap_psychiatrist NOLOGIN IN ROLE kap_clinician;
        CREATE ROLE kap_admin NOLOGIN;
    END IF;
END $$;

GRANT kap_admin TO CURRENT_USER;

CREATE SCHEMA kap;
REVOKE ALL ON SCHEMA kap FROM PUBLIC;
GRANT USAGE ON SCHEMA kap TO kap_clinician, kap_admin;

-- The practice's own identity: client codes are unique within it (a FHIR Patient's identifier
-- names it), so two practices' D-0001, or two journals', are never one person.
CREATE TABLE kap.practice (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    one         boolean NOT NULL DEFAULT true UNIQUE CHECK (one),
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kap.practice DEFAULT VALUES;

-- Who may write: one row per login, made by `practice add-clinician` (as the owner).
CREATE TABLE kap.clinicians (
    login        name PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    credentials  text NOT NULL DEFAULT '',
    role         text NOT NULL CHECK (role IN ('therapist', 'nurse', 'psychiatrist', 'admin')),
    added_at     timestamptz NOT NULL DEFAULT now()
);

-- The Ed25519 keys a clinician signs with, registered when a journal connects: a signature pulled
-- from the server verifies against the key its author registered, on every machine.
CREATE TABLE kap.signing_keys (
    public_key     text PRIMARY KEY CHECK (public_key ~ '^[0-9a-f]{64}$'),
    login          name NOT NULL DEFAULT current_user REFERENCES kap.clinicians,
    registered_at  timestamptz NOT NULL DEFAULT now()
);

-- A session as it ended: pushed once, with its whole timeline. Clients are known by their
-- pseudonymous code only; a display name never leaves the laptop.
CREATE TABLE kap.sessions (
    uuid          uuid PRIMARY KEY,
    author        name NOT NULL DEFAULT current_user REFERENCES kap.clinicians,
    client_code   text NOT NULL CHECK (length(client_code) BETWEEN 1 AND 64),
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
    pushed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_by_client ON kap.sessions (client_code, started_at);

-- Entries by session and sequence: a sync killed and run again inserts nothing twice.
CREATE TABLE kap.entries (
    session_uuid  uuid NOT NULL REFERENCES kap.sessions,
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
    signer          name NOT NULL DEFAULT current_user REFERENCES kap.clinicians,
    -- The name and credentials as the journal signed with them (the seal covers both).
    signer_name     text NOT NULL,
    signer_credentials text NOT NULL,
    signed_at       timestamptz NOT NULL,
    content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    public_key      text REFERENCES kap.signing_keys,
    signature       text CHECK (signature ~ '^[0-9a-f]{128}$'),
    progress_note   jsonb
);

CREATE TABLE kap.addenda (
    session_uuid  uuid NOT NULL REFERENCES kap.signatures,
    author        name NOT NULL DEFAULT current_user REFERENCES kap.clinicians,
    author_name   text NOT NULL,
    author_credentials text NOT NULL,
    written_at    timestamptz NOT NULL,
    reason        text NOT NULL,
    text          text NOT NULL,
    PRIMARY KEY (session_uuid, written_at)
);

-- Integration check-ins once recorded (an open one stays on the laptop until it is done).
CREATE TABLE kap.check_ins (
    session_uuid  uuid NOT NULL REFERENCES kap.sessions,
    kind          text NOT NULL CHECK (kind IN ('next_day', 'one_week')),
    author        name NOT NULL DEFAULT current_user REFERENCES kap.clinicians,
    due           date NOT NULL,
    done          jsonb NOT NULL,
    PRIMARY KEY (session_uuid, kind)
);

-- Nothing synced is ever changed or removed, by anyone. (A session's rows are readable exactly
-- when its session row is: the policies below read kap.sessions through its own policy.)
CREATE FUNCTION kap.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append-only: % rows are never changed or deleted', TG_TABLE_NAME;
END $$;
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['practice', 'clinicians', 'signing_keys', 'sessions', 'entries', 'signatures',
                             'addenda', 'check_ins'] LOOP
        EXECUTE format('CREATE TRIGGER %I_append_only BEFORE UPDATE OR DELETE ON kap.%I
                        FOR EACH ROW EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('CREATE TRIGGER %I_no_truncate BEFORE TRUNCATE ON kap.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('ALTER TABLE kap.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE kap.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON kap.%I FROM PUBLIC', t);
    END LOOP;
END $$;

-- Who may read which session: a psychiatrist every session; a therapist or a nurse the sessions of
-- the clients they have themselves recorded a session with (the client's care team); an admin no
-- clinical record at all. The care team is kept by the server itself as sessions arrive (a
-- clinician cannot add themselves to a client's team), and each login sees only its own rows of it.
CREATE TABLE kap.care_team (
    login        name NOT NULL REFERENCES kap.clinicians,
    client_code  text NOT NULL,
    PRIMARY KEY (login, client_code)
);
CREATE TRIGGER care_team_append_only BEFORE UPDATE OR DELETE ON kap.care_team
    FOR EACH ROW EXECUTE FUNCTION kap.append_only();
ALTER TABLE kap.care_team ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON kap.care_team FROM PUBLIC;
GRANT SELECT ON kap.care_team TO kap_clinician;
CREATE POLICY own_rows ON kap.care_team FOR SELECT USING (login = current_user);

CREATE FUNCTION kap.join_care_team() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kap, pg_temp AS $$
BEGIN
    INSERT INTO kap.care_team (login, client_code) VALUES (NEW.author, NEW.client_code)
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION kap.join_care_team() FROM PUBLIC;
CREATE TRIGGER sessions_join_care_team AFTER INSERT ON kap.sessions
    FOR EACH ROW EXECUTE FUNCTION kap.join_care_team();

-- The newest commit of each journal as its last sync left it (see src/practice/witness.rs): a
-- journal put back from an older copy finds at its next sync that the practice knew a newer one.
-- Insert-only; each login writes and reads its own notes alone. The journal is a number derived
-- from its key, the entry its number, time and seal: nothing of the record.
CREATE TABLE kap.journal_witnesses (
    journal   text NOT NULL CHECK (journal ~ '^[0-9a-f]{16}$'),
    login     name NOT NULL DEFAULT current_user REFERENCES kap.clinicians,
    seq       bigint NOT NULL CHECK (seq > 0),
    at_ms     bigint NOT NULL,
    mac       text NOT NULL CHECK (mac ~ '^[0-9a-f]{64}$'),
    noted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journal, seq)
);
CREATE TRIGGER journal_witnesses_append_only BEFORE UPDATE OR DELETE ON kap.journal_witnesses
    FOR EACH ROW EXECUTE FUNCTION kap.append_only();
CREATE TRIGGER journal_witnesses_no_truncate BEFORE TRUNCATE ON kap.journal_witnesses
    FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only();
ALTER TABLE kap.journal_witnesses ENABLE ROW LEVEL SECURITY;
ALTER TABLE kap.journal_witnesses FORCE ROW LEVEL SECURITY;
REVOKE ALL ON kap.journal_witnesses FROM PUBLIC;
GRANT SELECT, INSERT ON kap.journal_witnesses TO kap_clinician;
CREATE POLICY own_notes ON kap.journal_witnesses FOR INSERT WITH CHECK (login = current_user);
CREATE POLICY own_notes_read ON kap.journal_witnesses FOR SELECT USING (login = current_user);

GRANT SELECT ON kap.practice, kap.clinicians, kap.signing_keys TO kap_clinician, kap_admin;
CREATE POLICY everyone_reads ON kap.practice FOR SELECT USING (true);
GRANT SELECT, INSERT ON kap.sessions, kap.entries, kap.signatures, kap.addenda, kap.check_ins
    TO kap_clinician;
GRANT INSERT ON kap.signing_keys TO kap_clinician;

CREATE POLICY everyone_reads ON kap.clinicians FOR SELECT USING (true);
-- Clinicians are added by an admin login (the owner is made one by `practice init`).
GRANT INSERT ON kap.clinicians TO kap_admin;
CREATE POLICY admin_adds ON kap.clinicians FOR INSERT TO kap_admin WITH CHECK (true);
CREATE POLICY everyone_reads ON kap.signing_keys FOR SELECT USING (true);
CREATE POLICY own_key ON kap.signing_keys FOR INSERT WITH CHECK (login = current_user);

CREATE POLICY own_sessions ON kap.sessions FOR INSERT WITH CHECK (author = current_user);
CREATE POLICY care_team ON kap.sessions FOR SELECT USING (
    EXISTS (SELECT 1 FROM kap.clinicians c WHERE c.login = current_user AND c.role = 'psychiatrist')
    OR EXISTS (SELECT 1 FROM kap.care_team t
               WHERE t.login = current_user AND t.client_code = sessions.client_code));

CREATE POLICY own_entries ON kap.entries FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM kap.sessions s
                        WHERE s.uuid = session_uuid AND s.author = current_user));
CREATE POLICY care_team ON kap.entries FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));

-- A signature, an addendum or a check-in goes only on the login's own session, and a seal only
-- with a key that login registered.
CREATE POLICY own_signatures ON kap.signatures FOR INSERT WITH CHECK (
    signer = current_user
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = current_user)
    AND (public_key IS NULL
         OR EXISTS (SELECT 1 FROM kap.signing_keys k
                    WHERE k.public_key = signatures.public_key AND k.login = current_user)));
CREATE POLICY care_team ON kap.signatures FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));

CREATE POLICY own_addenda ON kap.addenda FOR INSERT WITH CHECK (
    author = current_user
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = current_user));
CREATE POLICY care_team ON kap.addenda FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));

CREATE POLICY own_check_ins ON kap.check_ins FOR INSERT WITH CHECK (
    author = current_user
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = current_user));
CREATE POLICY care_team ON kap.check_ins FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));
