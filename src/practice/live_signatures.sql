-- Signatures of live co-sessions, once their end is said: each clinician signs the entries they
-- wrote, the author the whole, and a psychiatrist may co-sign the whole afterwards. Each row is the
-- journal's Ed25519 seal over the digest of what it covers (domain::co_signature); every journal
-- that reads it checks it over the merged timeline it holds, so the server cannot make one up.
-- Run by `practice init` after live.sql, and by `practice upgrade` on a server without it.

CREATE TABLE kap.live_signatures (
    session_uuid    uuid NOT NULL REFERENCES kap.live_sessions,
    part            text NOT NULL CHECK (part IN ('own_entries', 'whole', 'co_sign')),
    login           name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    credentials     text NOT NULL CHECK (length(credentials) <= 200),
    signed_at       timestamptz NOT NULL,
    content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    public_key      text NOT NULL CHECK (public_key ~ '^[0-9a-f]{64}$'),
    seal            text NOT NULL CHECK (seal ~ '^[0-9a-f]{128}$'),
    PRIMARY KEY (session_uuid, part, login)
);

CREATE TRIGGER live_signatures_append_only BEFORE UPDATE OR DELETE ON kap.live_signatures
    FOR EACH ROW EXECUTE FUNCTION kap.append_only();
CREATE TRIGGER live_signatures_no_truncate BEFORE TRUNCATE ON kap.live_signatures
    FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only();
ALTER TABLE kap.live_signatures ENABLE ROW LEVEL SECURITY;
ALTER TABLE kap.live_signatures FORCE ROW LEVEL SECURITY;
REVOKE ALL ON kap.live_signatures FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('GRANT SELECT, INSERT ON kap.live_signatures TO %I',
                   (SELECT roles FROM kap.practice) || 'clinician');
END $$;

-- Whoever sees the session sees its signatures.
CREATE POLICY care_team ON kap.live_signatures FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.live_sessions s WHERE s.uuid = live_signatures.session_uuid));
-- One signs as oneself, after the end: the whole if one started it, one's own entries if one wrote
-- any, a co-signature if one is a psychiatrist who sees the session.
CREATE POLICY sign_once_ended ON kap.live_signatures FOR INSERT
    WITH CHECK (login = (SELECT kap.me())
                AND EXISTS (SELECT 1 FROM kap.live_ends e
                            WHERE e.session_uuid = live_signatures.session_uuid)
                AND CASE part
                    WHEN 'whole' THEN EXISTS (
                        SELECT 1 FROM kap.live_sessions s
                        WHERE s.uuid = live_signatures.session_uuid AND s.author = login)
                    WHEN 'own_entries' THEN EXISTS (
                        SELECT 1 FROM kap.live_entries e
                        WHERE e.session_uuid = live_signatures.session_uuid AND e.author = login)
                    ELSE EXISTS (
                        SELECT 1 FROM kap.clinicians c
                        WHERE c.login = live_signatures.login AND c.role = 'psychiatrist')
                        AND EXISTS (SELECT 1 FROM kap.live_sessions s
                                    WHERE s.uuid = live_signatures.session_uuid)
                END);
