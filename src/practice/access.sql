-- Who may do what on the practice server: its group roles, who a login is, and the privileges
-- and row-level security policies on every table of schema.sql. Run by the owner after schema.sql
-- (`practice init`) or after upgrade.sql (`practice upgrade`), in the same transaction.
--
-- Clinician logins may INSERT their own rows and SELECT what their role and their care teams
-- allow. Who a login is: `kap.me()`, the session's own login when it is one of the practice's
-- clinicians and has not taken on another role (SET ROLE, or a login granted to another): a role
-- is only ever who it logged in as. The database owner and the cluster's superusers can still
-- read everything; a signed record carries its author's seal, so what they change in it is found.

-- Everyone of the practice reads its identity (and the owner must, to name the roles below).
CREATE POLICY practice_reads ON kap.practice FOR SELECT USING (true);

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

-- Whether `login` (a role that may not exist) is a member of this practice's group for `role`.
CREATE FUNCTION kap.in_group(login name, role text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = $1)
                THEN pg_catalog.pg_has_role($1, (SELECT p.roles FROM kap.practice p) || $2, 'USAGE')
                ELSE false END
$$;

-- A clinicians row names a login of this practice, in the group role of its role, never a group.
CREATE FUNCTION kap.check_clinician() RETURNS trigger LANGUAGE plpgsql
SET search_path = kap, pg_temp AS $$
BEGIN
    IF NOT COALESCE((SELECT r.rolcanlogin FROM pg_roles r WHERE r.rolname = NEW.login), false)
       OR NOT kap.in_group(NEW.login, NEW.role) THEN
        RAISE EXCEPTION 'a clinician is a login in the practice''s % group', NEW.role
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER clinicians_checked BEFORE INSERT ON kap.clinicians
    FOR EACH ROW EXECUTE FUNCTION kap.check_clinician();

-- Whether `login` is on the care team of `code` now.
CREATE FUNCTION kap.on_team(code text, who name) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT a.action = 'assign' FROM kap.care_assignments a
                     WHERE a.client_code = code AND a.login = who
                     ORDER BY a.id DESC LIMIT 1), false)
$$;

-- The codes of the clients this session's clinician may read (a psychiatrist: every enrolled
-- client; everyone else: those whose care team they are on, and for a day one they opened in an
-- emergency), and may add sessions to (an admin records nothing). Policies call these as
-- `(SELECT …)`, which PostgreSQL works out once per statement rather than per row.
CREATE FUNCTION kap.readable_codes() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN kap.me() IS NULL THEN '{}'::text[]
        WHEN kap.my_role() = 'psychiatrist'
            THEN COALESCE((SELECT array_agg(c.code) FROM kap.clients c), '{}')
        ELSE COALESCE((SELECT array_agg(t.client_code)
                       FROM (SELECT DISTINCT ON (a.client_code) a.client_code, a.action
                             FROM kap.care_assignments a WHERE a.login = kap.me()
                             ORDER BY a.client_code, a.id DESC) t
                       WHERE t.action = 'assign'), '{}')
             || COALESCE((SELECT array_agg(DISTINCT e.client_code) FROM kap.emergency_access e
                          WHERE e.login = kap.me() AND e.opened_at > now() - interval '1 day'), '{}')
    END
$$;
CREATE FUNCTION kap.writable_codes() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN kap.my_role() IN ('therapist', 'nurse', 'psychiatrist')
                THEN kap.readable_codes() ELSE '{}'::text[] END
$$;

-- Whether this session's clinician may read, or add to, the record of client `code`.
CREATE FUNCTION kap.may_read(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT $1 = ANY (kap.readable_codes())
$$;
CREATE FUNCTION kap.may_write(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT $1 = ANY (kap.writable_codes())
$$;

-- Privileges go to this practice's group roles alone.
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
    EXECUTE format('GRANT SELECT ON kap.problems, kap.emergency_access TO %I', anyone);
    EXECUTE format('GRANT SELECT ON kap.legacy_sessions TO %I', clinician);
    EXECUTE format('GRANT INSERT ON kap.emergency_access TO %I', clinician);
    EXECUTE format('GRANT INSERT ON kap.problems TO %I', clinician);
END $$;

-- The practice's identity, its clinicians and their keys: read by everyone of the practice.
CREATE POLICY practice_reads ON kap.clinicians FOR SELECT USING (true);
CREATE POLICY admin_adds ON kap.clinicians FOR INSERT
    WITH CHECK ((SELECT kap.is_admin()) AND added_by = session_user);
CREATE POLICY practice_reads ON kap.signing_keys FOR SELECT USING (true);
CREATE POLICY own_key ON kap.signing_keys FOR INSERT WITH CHECK (login = (SELECT kap.me()));

-- The registry and the care teams: read by everyone of the practice (codes and logins, nothing
-- clinical); written by an admin or a psychiatrist, in their own name.
CREATE POLICY practice_reads ON kap.clients FOR SELECT USING ((SELECT kap.me()) IS NOT NULL OR (SELECT kap.is_admin()));
CREATE POLICY enrol ON kap.clients FOR INSERT WITH CHECK (
    enrolled_by = session_user AND ((SELECT kap.is_admin()) OR (SELECT kap.my_role()) = 'psychiatrist'));
CREATE POLICY practice_reads ON kap.care_assignments FOR SELECT
    USING ((SELECT kap.me()) IS NOT NULL OR (SELECT kap.is_admin()));
CREATE POLICY assign ON kap.care_assignments FOR INSERT WITH CHECK (
    by_login = session_user AND ((SELECT kap.is_admin()) OR (SELECT kap.my_role()) = 'psychiatrist'));

-- Sessions: added by their author for a client they may write to. Who reads a session, and every
-- part of it, is reading.sql's.
CREATE POLICY own_sessions ON kap.sessions FOR INSERT
    WITH CHECK (author = (SELECT kap.me()) AND client_code = ANY ((SELECT kap.writable_codes())::text[]));

-- Who adds an entry is reading.sql's (it asks the directory of sessions).

-- A signature, an addendum or a check-in goes only on the login's own session, and a seal only
-- with a key that login registered.
CREATE POLICY own_signatures ON kap.signatures FOR INSERT WITH CHECK (
    signer = (SELECT kap.me())
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = (SELECT kap.me()))
    AND (public_key IS NULL
         OR EXISTS (SELECT 1 FROM kap.signing_keys k
                    WHERE k.public_key = signatures.public_key AND k.login = (SELECT kap.me()))));

CREATE POLICY own_addenda ON kap.addenda FOR INSERT WITH CHECK (
    author = (SELECT kap.me())
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = (SELECT kap.me())));

CREATE POLICY own_check_ins ON kap.check_ins FOR INSERT WITH CHECK (
    author = (SELECT kap.me())
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_uuid AND s.author = (SELECT kap.me())));

-- Emergency access: opened by a clinician in their own name for an enrolled client; read by who
-- opened it, the client's care team, the psychiatrists and the admin.
CREATE POLICY open_in_emergency ON kap.emergency_access FOR INSERT WITH CHECK (
    login = (SELECT kap.me())
    AND (SELECT kap.my_role()) IN ('therapist', 'nurse', 'psychiatrist'));
CREATE POLICY shown_to_the_team ON kap.emergency_access FOR SELECT USING (
    login = (SELECT kap.me()) OR (SELECT kap.is_admin()) OR (SELECT kap.my_role()) = 'psychiatrist'
    OR kap.on_team(client_code, (SELECT kap.me())));

-- A journal reports what it refused, in its login's name; the admin and the psychiatrists read
-- the list, everyone else their own reports.
CREATE POLICY own_reports ON kap.problems FOR INSERT WITH CHECK (reported_by = (SELECT kap.me()));
CREATE POLICY problem_list ON kap.problems FOR SELECT USING (
    (SELECT kap.is_admin()) OR (SELECT kap.my_role()) = 'psychiatrist' OR reported_by = (SELECT kap.me()));


CREATE POLICY own_notes ON kap.journal_witnesses FOR INSERT WITH CHECK (login = (SELECT kap.me()));
CREATE POLICY own_notes_read ON kap.journal_witnesses FOR SELECT USING (login = (SELECT kap.me()));

-- Every login listed as a clinician is in its role's group of this practice (none yet when the
-- practice is set up; all of them after an upgrade), and an admin may add logins.
DO $$
DECLARE
    prefix text := (SELECT roles FROM kap.practice);
    c record;
BEGIN
    FOR c IN SELECT login, role FROM kap.clinicians LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = c.login AND rolcanlogin) THEN
            EXECUTE format('GRANT %I TO %I', prefix || c.role, c.login);
            IF c.role = 'admin' THEN
                EXECUTE format('ALTER ROLE %I CREATEROLE', c.login);
            END IF;
        END IF;
    END LOOP;
END $$;
