-- Who reads a session: its author always; anyone else who may read its client, once their fetch
-- of it is logged (fetch_log.sql), so the server's log holds every colleague who received it.
-- Every part of a session (entries, signatures, addenda, check-ins) is readable exactly when the
-- session is. Also who adds an entry, which asks the same directory. Run after access.sql, or on
-- its own by `practice upgrade`.
--
-- The sets a policy asks about (the client codes a login may read, the sessions it may read) are
-- written as `x IN (SELECT …)`, which PostgreSQL works out once per statement into a hash table:
-- `x = ANY (array)` compares with every element for every row, and a fetch of 250 sessions'
-- entries took 107 ms instead of 14 on a 5,000-session practice. The function is called in FROM
-- (`SELECT r FROM kap.readable_sessions() r`), where PostgreSQL inlines it and plans its two
-- index scans; called as `SELECT kap.readable_sessions()` it ran row by row, twice as slow. The
-- codes are `unnest((SELECT kap.readable_codes()))`: without the inner SELECT the planner works
-- the codes out once more for each statement it plans, to estimate how many there are.

-- The sessions this session's clinician may read: their own, and those they fetched of a client
-- they may still read.
CREATE FUNCTION kap.readable_sessions() RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
    SELECT d.uuid FROM kap.session_directory d WHERE d.author = kap.me()
    UNION ALL
    SELECT f.session_uuid FROM kap.fetches f
    WHERE f.login = kap.me() AND f.client_code IN (SELECT unnest((SELECT kap.readable_codes())))
$$;

-- The author's own clause comes first: a session is its author's before the directory lists it
-- (the directory's own check reads it in the statement that adds it).
CREATE POLICY care_team ON kap.sessions FOR SELECT
    USING (author = (SELECT kap.me()) OR uuid IN (SELECT r FROM kap.readable_sessions() r));
CREATE POLICY care_team ON kap.entries FOR SELECT
    USING (session_uuid IN (SELECT r FROM kap.readable_sessions() r));
CREATE POLICY care_team ON kap.signatures FOR SELECT
    USING (session_uuid IN (SELECT r FROM kap.readable_sessions() r));
CREATE POLICY care_team ON kap.addenda FOR SELECT
    USING (session_uuid IN (SELECT r FROM kap.readable_sessions() r));
CREATE POLICY care_team ON kap.check_ins FOR SELECT
    USING (session_uuid IN (SELECT r FROM kap.readable_sessions() r));
CREATE POLICY care_team ON kap.legacy_sessions FOR SELECT
    USING (session_uuid IN (SELECT r FROM kap.readable_sessions() r));

-- An entry goes only on a session of its author's: asked of the author's sessions in the directory
-- as one set, hashed once for the statement (a first sync adds 764,238 entries in 80 statements;
-- a look-up in kap.sessions for each row took a fifth of the server's time).
CREATE POLICY own_entries ON kap.entries FOR INSERT WITH CHECK (
    session_uuid IN (SELECT d.uuid FROM kap.session_directory d WHERE d.author = (SELECT kap.me())));

-- The directory: its author's rows, and those of every client the login may read.
CREATE POLICY care_team ON kap.session_directory FOR SELECT USING (
    author = (SELECT kap.me()) OR client_code IN (SELECT unnest((SELECT kap.readable_codes()))));
-- Written by the trigger on kap.sessions as the session's author, as the session says.
CREATE POLICY own_sessions ON kap.session_directory FOR INSERT WITH CHECK (
    author = (SELECT kap.me())
    AND EXISTS (SELECT 1 FROM kap.sessions s WHERE s.uuid = session_directory.uuid
                AND s.author = session_directory.author
                AND s.client_code = session_directory.client_code));

-- A fetch is logged in the login's own name, of a session of a client it may read; the log is read
-- by whoever fetched, the session's author, its client's care team and the admin. (The policies
-- read the row alone: one naming the directory would loop through kap.sessions back to here.)
CREATE POLICY own_fetches ON kap.fetches FOR INSERT WITH CHECK (
    login = (SELECT kap.me()) AND client_code IN (SELECT unnest((SELECT kap.readable_codes()))));
CREATE POLICY disclosures ON kap.fetches FOR SELECT USING (
    login = (SELECT kap.me()) OR author = (SELECT kap.me())
    OR client_code IN (SELECT unnest((SELECT kap.readable_codes()))) OR (SELECT kap.is_admin()));

DO $$
DECLARE
    prefix text := (SELECT roles FROM kap.practice);
BEGIN
    EXECUTE format('GRANT SELECT, INSERT ON kap.session_directory, kap.fetches TO %I',
                   prefix || 'clinician');
    EXECUTE format('GRANT SELECT ON kap.fetches TO %I', prefix || 'any');
    EXECUTE format('GRANT EXECUTE ON FUNCTION kap.list_in_directory(), kap.stamp_fetch(),
                    kap.readable_sessions() TO %I', prefix || 'any');
    EXECUTE format('REVOKE ALL ON FUNCTION kap.readable_sessions() FROM PUBLIC');
END $$;
