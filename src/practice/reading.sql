-- Who reads a session: its author always; anyone else who may read its client, once their fetch
-- of it is logged (fetch_log.sql), so the server's log holds every colleague who received it.
-- Every part of a session (entries, signatures, addenda, check-ins) is readable exactly when the
-- session is (access.sql). Run after access.sql, or on its own by `practice upgrade`.

CREATE POLICY care_team ON kap.sessions FOR SELECT USING (
    author = (SELECT kap.me())
    OR (client_code = ANY ((SELECT kap.readable_codes())::text[])
        AND uuid IN (SELECT f.session_uuid FROM kap.fetches f WHERE f.login = (SELECT kap.me()))));

-- The directory: its author's rows, and those of every client the login may read.
CREATE POLICY care_team ON kap.session_directory FOR SELECT USING (
    author = (SELECT kap.me()) OR client_code = ANY ((SELECT kap.readable_codes())::text[]));
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
    login = (SELECT kap.me())
    AND client_code = ANY ((SELECT kap.readable_codes())::text[]));
CREATE POLICY disclosures ON kap.fetches FOR SELECT USING (
    login = (SELECT kap.me()) OR author = (SELECT kap.me())
    OR client_code = ANY ((SELECT kap.readable_codes())::text[]) OR (SELECT kap.is_admin()));

DO $$
DECLARE
    prefix text := (SELECT roles FROM kap.practice);
BEGIN
    EXECUTE format('GRANT SELECT, INSERT ON kap.session_directory, kap.fetches TO %I',
                   prefix || 'clinician');
    EXECUTE format('GRANT SELECT ON kap.fetches TO %I', prefix || 'any');
    EXECUTE format('GRANT EXECUTE ON FUNCTION kap.list_in_directory(), kap.stamp_fetch() TO %I',
                   prefix || 'any');
END $$;
