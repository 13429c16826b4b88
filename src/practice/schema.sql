-- The practice server's schema, as `kap-journal practice init` creates it in an empty PostgreSQL
-- database, run by the database's owner (who needs CREATEROLE, not superuser). See
-- docs/practice-sync.md; tests/practice*.rs run it on a PostgreSQL of their own.
--
-- Append-only by construction: clinician logins may INSERT their own rows and SELECT what their
-- role and their care teams allow; nobody has UPDATE, DELETE or TRUNCATE, and triggers refuse
-- them even to the owner. Row-level security is forced, so the owner reads through the same
-- policies as everyone else.
--
-- Who a login is: `kap.me()`, the session's own login when it is one of the practice's clinicians
-- and has not taken on another role (SET ROLE, or a login granted to another): a role is only
-- ever who it logged in as. The database owner and the cluster's superusers can still read
-- everything; every row a journal writes carries its author's seal, so what they write is found.

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

-- The group roles of this practice alone: <prefix>clinician (therapists, nurses and
-- psychiatrists are members of it), <prefix>therapist, <prefix>nurse, <prefix>psychiatrist and
-- <prefix>admin. Only members of <prefix>any may connect to the database at all.
DO $$
DECLARE
    prefix text := (SELECT roles FROM kap.practice);
    db text := current_database();
BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', prefix || 'any');
    EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', prefix || 'clinician', prefix || 'any');
    EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', prefix || 'therapist', prefix || 'clinician');
    EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', prefix || 'nurse', prefix || 'clinician');
    EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', prefix || 'psychiatrist', prefix || 'clinician');
    EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', prefix || 'admin', prefix || 'any');
    EXECUTE format('GRANT %I TO CURRENT_USER', prefix || 'admin');
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', db);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', db, prefix || 'any');
END $$;

-- Who may write: one row per login, made by `practice add-clinician` (as the owner or an admin).
CREATE TABLE kap.clinicians (
    login        name PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    credentials  text NOT NULL DEFAULT '',
    role         text NOT NULL CHECK (role IN ('therapist', 'nurse', 'psychiatrist', 'admin')),
    added_by     name NOT NULL DEFAULT session_user,
    added_at     timestamptz NOT NULL DEFAULT now()
);

-- The helpers below name everything with its schema and set no search_path, so the planner can
-- inline them into the policies that call them.

-- The login of this session, when it is one of the practice's clinicians in the group role its
-- row names and has not taken on another role; else NULL, which no policy lets through.
CREATE FUNCTION kap.me() RETURNS name LANGUAGE sql STABLE AS $$
    SELECT c.login FROM kap.clinicians c, kap.practice p
    WHERE c.login = session_user AND session_user = current_user
      AND pg_catalog.pg_has_role(session_user, p.roles || c.role, 'USAGE')
$$;

-- The role of this session's clinician ('therapist', 'nurse', 'psychiatrist', 'admin'), or NULL.
CREATE FUNCTION kap.my_role() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT c.role FROM kap.clinicians c WHERE c.login = kap.me()
$$;

-- An admin of the practice: a clinician whose role is admin, or the owner who set it up.
CREATE FUNCTION kap.is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT kap.my_role() = 'admin'
        OR (session_user = current_user
            AND pg_catalog.pg_has_role(session_user, (SELECT roles FROM kap.practice) || 'admin', 'USAGE')
            AND NOT EXISTS (SELECT 1 FROM kap.clinicians c WHERE c.login = session_user))
$$;

-- A clinicians row names a login of this practice, in the group role of its role, never a group.
CREATE FUNCTION kap.check_clinician() RETURNS trigger LANGUAGE plpgsql
SET search_path = kap, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = NEW.login AND r.rolcanlogin)
       OR NOT pg_catalog.pg_has_role(NEW.login, (SELECT roles FROM kap.practice) || NEW.role, 'USAGE') THEN
        RAISE EXCEPTION 'a clinician is a login in the practice''s % group', NEW.role
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER clinicians_checked BEFORE INSERT ON kap.clinicians
    FOR EACH ROW EXECUTE FUNCTION kap.check_clinician();

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

-- Whether `login` is on the care team of `code` now.
CREATE FUNCTION kap.on_team(code text, who name) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT a.action = 'assign' FROM kap.care_assignments a
                     WHERE a.client_code = code AND a.login = who
                     ORDER BY a.id DESC LIMIT 1), false)
$$;

-- Whether this session's clinician may read the record of client `code`: a psychiatrist every
-- enrolled client; everyone else the clients whose care team they are on.
CREATE FUNCTION kap.may_read(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT kap.me() IS NOT NULL
       AND ((kap.my_role() = 'psychiatrist' AND EXISTS (SELECT 1 FROM kap.clients c WHERE c.code = $1))
            OR kap.on_team($1, kap.me()))
$$;

-- Whether this session's clinician may add to the record of client `code`: on its care team (a
-- psychiatrist: any enrolled client); an admin records nothing.
CREATE FUNCTION kap.may_write(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT kap.my_role() IN ('therapist', 'nurse', 'psychiatrist') AND kap.may_read($1)
$$;

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
    signer          name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    -- The name and credentials as the journal signed with them (the seal covers both).
    signer_name     text NOT NULL,
    signer_credentials text NOT NULL,
    signed_at       timestamptz NOT NULL,
    content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    public_key      text CHECK (public_key ~ '^[0-9a-f]{64}$'),
    signature       text CHECK (signature ~ '^[0-9a-f]{128}$'),
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
    PRIMARY KEY (session_uuid, ordinal)
);

-- Integration check-ins once recorded (an open one stays on the laptop until it is done).
CREATE TABLE kap.check_ins (
    session_uuid  uuid NOT NULL REFERENCES kap.sessions,
    kind          text NOT NULL CHECK (kind IN ('next_day', 'one_week')),
    author        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    due           date NOT NULL,
    done          jsonb NOT NULL,
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

-- Privileges go to this practice's group roles alone (granted before row-level security is
-- forced, while the owner can still read the practice's row).
DO $$
DECLARE
    prefix text := (SELECT roles FROM kap.practice);
    anyone text := prefix || 'any';
    clinician text := prefix || 'clinician';
BEGIN
    EXECUTE format('REVOKE ALL ON SCHEMA kap FROM PUBLIC');
    EXECUTE format('GRANT USAGE ON SCHEMA kap TO %I', anyone);
    EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA kap FROM PUBLIC');
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA kap TO %I', anyone);
    EXECUTE format('GRANT SELECT ON kap.practice, kap.clinicians, kap.signing_keys, kap.clients,
                    kap.care_assignments TO %I', anyone);
    EXECUTE format('GRANT INSERT ON kap.clinicians, kap.clients, kap.care_assignments TO %I', anyone);
    EXECUTE format('GRANT SELECT, INSERT ON kap.sessions, kap.entries, kap.signatures, kap.addenda,
                    kap.check_ins, kap.journal_witnesses TO %I', clinician);
    EXECUTE format('GRANT INSERT ON kap.signing_keys TO %I', clinician);
END $$;

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
                             'check_ins', 'journal_witnesses'] LOOP
        EXECUTE format('CREATE TRIGGER %I_append_only BEFORE UPDATE OR DELETE ON kap.%I
                        FOR EACH ROW EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('CREATE TRIGGER %I_no_truncate BEFORE TRUNCATE ON kap.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('ALTER TABLE kap.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE kap.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON kap.%I FROM PUBLIC', t);
    END LOOP;
END $$;

-- The practice's identity, its clinicians and their keys: read by everyone of the practice.
CREATE POLICY practice_reads ON kap.practice FOR SELECT USING (true);
CREATE POLICY practice_reads ON kap.clinicians FOR SELECT USING (true);
CREATE POLICY admin_adds ON kap.clinicians FOR INSERT
    WITH CHECK (kap.is_admin() AND added_by = session_user);
CREATE POLICY practice_reads ON kap.signing_keys FOR SELECT USING (true);
CREATE POLICY own_key ON kap.signing_keys FOR INSERT WITH CHECK (login = kap.me());

-- The registry and the care teams: read by everyone of the practice (codes and logins, nothing
-- clinical); written by an admin or a psychiatrist, in their own name.
CREATE POLICY practice_reads ON kap.clients FOR SELECT USING (kap.me() IS NOT NULL OR kap.is_admin());
CREATE POLICY enrol ON kap.clients FOR INSERT WITH CHECK (
    enrolled_by = session_user AND (kap.is_admin() OR kap.my_role() = 'psychiatrist'));
CREATE POLICY practice_reads ON kap.care_assignments FOR SELECT
    USING (kap.me() IS NOT NULL OR kap.is_admin());
CREATE POLICY assign ON kap.care_assignments FOR INSERT WITH CHECK (
    by_login = session_user AND (kap.is_admin() OR kap.my_role() = 'psychiatrist'));

-- Sessions: added by their author for a client they may write to; read by whoever may read the
-- client. Every part of a session is readable exactly when the session is.
CREATE POLICY own_sessions ON kap.sessions FOR INSERT
    WITH CHECK (author = kap.me() AND kap.may_write(client_code));
CREATE POLICY care_team ON kap.sessions FOR SELECT USING (kap.may_read(client_code));

CREATE POLICY own_entries ON kap.entries FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM kap.sessions s
                        WHERE s.uuid = session_uuid AND s.author = kap.me()));
CREATE POLICY care_team ON kap.entries FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));

-- A signature, an addendum or a check-in goes only on the login's own session, and a seal only
-- with a key that login registered.
CREATE POLICY own_signatures ON kap.signatures FOR INSERT WITH CHECK (
    signer = kap.me()
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = kap.me())
    AND (public_key IS NULL
         OR EXISTS (SELECT 1 FROM kap.signing_keys k
                    WHERE k.public_key = signatures.public_key AND k.login = kap.me())));
CREATE POLICY care_team ON kap.signatures FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));

CREATE POLICY own_addenda ON kap.addenda FOR INSERT WITH CHECK (
    author = kap.me()
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = kap.me()));
CREATE POLICY care_team ON kap.addenda FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));

CREATE POLICY own_check_ins ON kap.check_ins FOR INSERT WITH CHECK (
    author = kap.me()
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = kap.me()));
CREATE POLICY care_team ON kap.check_ins FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid));

CREATE POLICY own_notes ON kap.journal_witnesses FOR INSERT WITH CHECK (login = kap.me());
CREATE POLICY own_notes_read ON kap.journal_witnesses FOR SELECT USING (login = kap.me());
