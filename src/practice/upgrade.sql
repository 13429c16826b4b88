-- Moves a practice server set up before care teams were explicit (schema of 2026-12-01: group
-- roles shared by the whole cluster, care teams joined by pushing a session) to the present one.
-- `kap-journal practice upgrade URL` runs it as the database's owner, then access.sql, in one
-- transaction: anything that fails leaves the server as it was. See docs/practice-sync.md,
-- "Moving a practice to explicit care teams".
--
-- Kept: every clinician and login, every session with its timeline, signatures, addenda and
-- check-ins. Carried over for review: each client a session was recorded for is enrolled, and
-- each old care-team row becomes an assignment made by the owner at the upgrade (an admin reviews
-- them with `practice clients` and ends any that should not be). Dropped: the keys registered
-- without proof (journals register theirs again, with proof, at their next sync).

-- The owner owns every table: row-level security's hold on the owner and the append-only
-- triggers are set aside for the conversion alone (both are back before it commits).
ALTER TABLE kap.sessions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE kap.care_team NO FORCE ROW LEVEL SECURITY;
ALTER TABLE kap.addenda NO FORCE ROW LEVEL SECURITY;
ALTER TABLE kap.signing_keys NO FORCE ROW LEVEL SECURITY;
ALTER TABLE kap.signing_keys DISABLE TRIGGER signing_keys_append_only;
ALTER TABLE kap.addenda DISABLE TRIGGER addenda_append_only;
ALTER TABLE kap.care_team DISABLE TRIGGER care_team_append_only;

-- The old rules go first: their policies, the care team that pushes joined, the shared roles'
-- privileges.
DO $$
DECLARE p record;
BEGIN
    FOR p IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'kap' LOOP
        EXECUTE format('DROP POLICY %I ON kap.%I', p.policyname, p.tablename);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kap_clinician') THEN
        REVOKE ALL ON ALL TABLES IN SCHEMA kap FROM kap_clinician, kap_admin;
        REVOKE ALL ON SCHEMA kap FROM kap_clinician, kap_admin;
    END IF;
END $$;
DROP TRIGGER sessions_join_care_team ON kap.sessions;
DROP FUNCTION kap.join_care_team();

-- The practice's own identity, which names its own group roles.
CREATE TABLE kap.practice (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    one         boolean NOT NULL DEFAULT true UNIQUE CHECK (one),
    roles       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kap.practice DEFAULT VALUES;
UPDATE kap.practice SET roles = 'kap_' || substr(replace(id::text, '-', ''), 1, 12) || '_';

-- Who added a clinician is not known from before; the owner stands for it.
ALTER TABLE kap.clinicians ADD COLUMN added_by name NOT NULL DEFAULT session_user;

-- Keys with proof only.
ALTER TABLE kap.signatures DROP CONSTRAINT IF EXISTS signatures_public_key_fkey;
DELETE FROM kap.signing_keys;
ALTER TABLE kap.signing_keys DROP CONSTRAINT signing_keys_pkey;
ALTER TABLE kap.signing_keys ADD COLUMN proof text CHECK (proof ~ '^[0-9a-f]{128}$');
ALTER TABLE kap.signing_keys ADD PRIMARY KEY (public_key, login);
ALTER TABLE kap.signing_keys ALTER COLUMN login SET DEFAULT session_user;

-- The registry and the care teams, from what the old server knew.
CREATE TABLE kap.clients (
    code         text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    enrolled_by  name NOT NULL DEFAULT session_user,
    enrolled_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kap.clients (code) SELECT DISTINCT client_code FROM kap.sessions;
CREATE TABLE kap.care_assignments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_code  text NOT NULL REFERENCES kap.clients,
    login        name NOT NULL REFERENCES kap.clinicians,
    action       text NOT NULL CHECK (action IN ('assign', 'unassign')),
    by_login     name NOT NULL DEFAULT session_user,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_assignments_by_client ON kap.care_assignments (client_code, login, id);
INSERT INTO kap.care_assignments (client_code, login, action)
    SELECT t.client_code, t.login, 'assign' FROM kap.care_team t
    WHERE EXISTS (SELECT 1 FROM kap.clients c WHERE c.code = t.client_code)
    ORDER BY t.client_code, t.login;
DROP TABLE kap.care_team;

-- Emergency access (new): a clinician opens a client outside their care team, with the reason stated,
-- for a day. Each opening is kept for good and shown to the client's care team and the admin.
CREATE TABLE kap.emergency_access (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_code  text NOT NULL REFERENCES kap.clients,
    login        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    reason       text NOT NULL CHECK (length(btrim(reason)) BETWEEN 10 AND 500),
    opened_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX emergency_access_by_login ON kap.emergency_access (login, opened_at);



-- Sessions name an enrolled client; every row's author is the login that wrote it.
ALTER TABLE kap.sessions
    ADD CONSTRAINT sessions_client_code_fkey FOREIGN KEY (client_code) REFERENCES kap.clients;
ALTER TABLE kap.sessions ADD COLUMN IF NOT EXISTS zone text
    CHECK (zone IS NULL OR length(zone) BETWEEN 1 AND 64);
ALTER TABLE kap.sessions ALTER COLUMN author SET DEFAULT session_user;
ALTER TABLE kap.signatures ALTER COLUMN signer SET DEFAULT session_user;
ALTER TABLE kap.addenda ALTER COLUMN author SET DEFAULT session_user;
ALTER TABLE kap.check_ins ALTER COLUMN author SET DEFAULT session_user;

-- Addenda by their place in the record, as the old server ordered them (by time).
ALTER TABLE kap.addenda ADD COLUMN ordinal integer;
UPDATE kap.addenda a SET ordinal = n.ordinal
FROM (SELECT session_uuid, written_at,
             row_number() OVER (PARTITION BY session_uuid ORDER BY written_at) AS ordinal
      FROM kap.addenda) n
WHERE n.session_uuid = a.session_uuid AND n.written_at = a.written_at;
ALTER TABLE kap.addenda ALTER COLUMN ordinal SET NOT NULL;
ALTER TABLE kap.addenda ADD CONSTRAINT addenda_ordinal_check CHECK (ordinal > 0);
ALTER TABLE kap.addenda DROP CONSTRAINT addenda_pkey;
ALTER TABLE kap.addenda ADD PRIMARY KEY (session_uuid, ordinal);

-- Rows are sealed by their author from now on (those pushed before carry no seal).
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sessions', 'addenda', 'check_ins'] LOOP
        EXECUTE format('ALTER TABLE kap.%I ADD COLUMN seal_key text CHECK (seal_key ~ ''^[0-9a-f]{64}$'')', t);
        EXECUTE format('ALTER TABLE kap.%I ADD COLUMN seal text CHECK (seal ~ ''^[0-9a-f]{128}$'')', t);
    END LOOP;
END $$;

-- Sessions pushed before rows were sealed (kept by `practice upgrade`, never added to since):
-- a reader copies their unsealed rows, which nothing shows unchanged since the upgrade.
CREATE TABLE kap.legacy_sessions (
    session_uuid  uuid PRIMARY KEY REFERENCES kap.sessions
);
INSERT INTO kap.legacy_sessions SELECT uuid FROM kap.sessions;

-- Journals' witnesses, for a server from before them.
CREATE TABLE IF NOT EXISTS kap.journal_witnesses (
    journal   text NOT NULL CHECK (journal ~ '^[0-9a-f]{16}$'),
    login     name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    seq       bigint NOT NULL CHECK (seq > 0),
    at_ms     bigint NOT NULL,
    mac       text NOT NULL CHECK (mac ~ '^[0-9a-f]{64}$'),
    noted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (journal, seq)
);
ALTER TABLE kap.journal_witnesses ALTER COLUMN login SET DEFAULT session_user;

-- What journals refuse to copy, for the admin (new).
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

ALTER TABLE kap.signing_keys ENABLE TRIGGER signing_keys_append_only;
ALTER TABLE kap.addenda ENABLE TRIGGER addenda_append_only;
ALTER TABLE kap.sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE kap.addenda FORCE ROW LEVEL SECURITY;
ALTER TABLE kap.signing_keys FORCE ROW LEVEL SECURITY;

-- The new tables (and a witnesses table new to this server) are append-only like the rest.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['practice', 'clients', 'care_assignments', 'journal_witnesses',
                             'problems', 'emergency_access', 'legacy_sessions'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I_append_only ON kap.%I', t, t);
        EXECUTE format('DROP TRIGGER IF EXISTS %I_no_truncate ON kap.%I', t, t);
        EXECUTE format('CREATE TRIGGER %I_append_only BEFORE UPDATE OR DELETE ON kap.%I
                        FOR EACH ROW EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('CREATE TRIGGER %I_no_truncate BEFORE TRUNCATE ON kap.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('ALTER TABLE kap.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE kap.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON kap.%I FROM PUBLIC', t);
    END LOOP;
END $$;
