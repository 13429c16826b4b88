-- Live co-sessions: a session while it runs is announced by the journal that started it, so the
-- client's care team sees it and may join it; each join and the end are rows of their own. Run by
-- `practice init` after access.sql, and by `practice upgrade` on a server without it. Append-only
-- and under forced row-level security like every table of schema.sql; a NOTIFY on `kap_live` says
-- only that something changed (its payload is the session's uuid): a journal then reads what the
-- server holds, which its policies decide.

CREATE TABLE kap.live_sessions (
    uuid          uuid PRIMARY KEY,
    author        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    client_code   text NOT NULL REFERENCES kap.clients,
    model         text NOT NULL CHECK (model IN ('medical', 'kap')),
    route         text NOT NULL CHECK (length(route) BETWEEN 1 AND 64),
    -- What the care team needs to follow it: the planned dose, the weight it is dosed by, and the
    -- client's intention and comfort plan (the session carries them when it is pushed at its end).
    planned_dose  jsonb NOT NULL,
    weight_kg     double precision CHECK (weight_kg IS NULL OR weight_kg > 0),
    intention     text NOT NULL,
    comfort_plan  text NOT NULL,
    started_at    timestamptz NOT NULL,
    -- The clinic's IANA time zone the session is held in.
    zone          text CHECK (zone IS NULL OR length(zone) BETWEEN 1 AND 64),
    announced_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX live_sessions_by_client ON kap.live_sessions (client_code);

-- Who joined a live session, once each.
CREATE TABLE kap.live_joins (
    session_uuid  uuid NOT NULL REFERENCES kap.live_sessions,
    login         name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    joined_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_uuid, login)
);

-- The end of a live session, said by its author's journal at its first sync after the end (when
-- it ended is in the session the journal then pushes).
CREATE TABLE kap.live_ends (
    session_uuid  uuid PRIMARY KEY REFERENCES kap.live_sessions,
    said_at       timestamptz NOT NULL DEFAULT now()
);

-- The merged timeline: every entry of a live session as each clinician's journal wrote it, in the
-- server's order (`position`: 1, 2, 3, … with no gap, given as each entry commits, so a reader that
-- has seen position n has seen every entry before it), each with its author, its place in its
-- author's journal and its own clock time.
CREATE TABLE kap.live_entries (
    session_uuid  uuid NOT NULL REFERENCES kap.live_sessions,
    position      integer NOT NULL CHECK (position > 0),
    author        name NOT NULL DEFAULT session_user REFERENCES kap.clinicians,
    author_seq    integer NOT NULL CHECK (author_seq > 0),
    wall_time     timestamptz NOT NULL,
    elapsed_ms    bigint NOT NULL,
    kind          text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    payload       jsonb NOT NULL,
    PRIMARY KEY (session_uuid, position),
    UNIQUE (session_uuid, author, author_seq)
);

-- The next position, under a lock on the session held until the entry commits: two entries at
-- once are numbered in the order they commit, and a failed insert leaves no gap.
CREATE FUNCTION kap.place_live_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('kap_live:' || NEW.session_uuid::text, 0));
    NEW.position := COALESCE((SELECT max(e.position) FROM kap.live_entries e
                              WHERE e.session_uuid = NEW.session_uuid), 0) + 1;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION kap.place_live_entry() FROM PUBLIC;
CREATE TRIGGER live_entries_placed BEFORE INSERT ON kap.live_entries
    FOR EACH ROW EXECUTE FUNCTION kap.place_live_entry();

DO $$
DECLARE
    t text;
    clinician text := (SELECT roles FROM kap.practice) || 'clinician';
BEGIN
    FOREACH t IN ARRAY ARRAY['live_sessions', 'live_joins', 'live_ends', 'live_entries'] LOOP
        EXECUTE format('CREATE TRIGGER %I_append_only BEFORE UPDATE OR DELETE ON kap.%I
                        FOR EACH ROW EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('CREATE TRIGGER %I_no_truncate BEFORE TRUNCATE ON kap.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('ALTER TABLE kap.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE kap.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON kap.%I FROM PUBLIC', t);
        EXECUTE format('GRANT SELECT, INSERT ON kap.%I TO %I', t, clinician);
    END LOOP;
END $$;

-- Who sees a live session: its author and the clinicians on its client's care team now (a
-- psychiatrist off the team reads the record afterwards; an emergency opening reads, never joins).
-- Its joins and its end are seen by whoever sees it, through its own policy.
CREATE POLICY care_team ON kap.live_sessions FOR SELECT
    USING (author = (SELECT kap.me()) OR kap.on_team(client_code, (SELECT kap.me())));
CREATE POLICY own_sessions ON kap.live_sessions FOR INSERT
    WITH CHECK (author = (SELECT kap.me()) AND kap.may_write(client_code)
                AND kap.on_team(client_code, (SELECT kap.me())));
CREATE POLICY care_team ON kap.live_joins FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.live_sessions s WHERE s.uuid = live_joins.session_uuid));
-- One joins a session one sees, as oneself, before it ends (the author is in it already).
CREATE POLICY join_once ON kap.live_joins FOR INSERT
    WITH CHECK (login = (SELECT kap.me())
                AND EXISTS (SELECT 1 FROM kap.live_sessions s
                            WHERE s.uuid = live_joins.session_uuid AND s.author <> login)
                AND NOT EXISTS (SELECT 1 FROM kap.live_ends e
                                WHERE e.session_uuid = live_joins.session_uuid));
CREATE POLICY care_team ON kap.live_ends FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.live_sessions s WHERE s.uuid = live_ends.session_uuid));
CREATE POLICY author_ends ON kap.live_ends FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM kap.live_sessions s
                        WHERE s.uuid = live_ends.session_uuid AND s.author = (SELECT kap.me())));

CREATE POLICY care_team ON kap.live_entries FOR SELECT
    USING (EXISTS (SELECT 1 FROM kap.live_sessions s WHERE s.uuid = live_entries.session_uuid));
-- The author and those who joined write their own entries, until the end is said.
CREATE POLICY in_the_session ON kap.live_entries FOR INSERT
    WITH CHECK (author = (SELECT kap.me())
                AND EXISTS (SELECT 1 FROM kap.live_sessions s
                            WHERE s.uuid = live_entries.session_uuid
                              AND (s.author = live_entries.author
                                   OR EXISTS (SELECT 1 FROM kap.live_joins j
                                              WHERE j.session_uuid = s.uuid
                                                AND j.login = live_entries.author)))
                AND NOT EXISTS (SELECT 1 FROM kap.live_ends e
                                WHERE e.session_uuid = live_entries.session_uuid));

-- A signal only: the channel says which session changed, never what.
CREATE FUNCTION kap.notify_live() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'live_sessions' THEN
        PERFORM pg_notify('kap_live', NEW.uuid::text);
    ELSE
        PERFORM pg_notify('kap_live', NEW.session_uuid::text);
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION kap.notify_live() FROM PUBLIC;
CREATE TRIGGER live_sessions_notify AFTER INSERT ON kap.live_sessions
    FOR EACH ROW EXECUTE FUNCTION kap.notify_live();
CREATE TRIGGER live_joins_notify AFTER INSERT ON kap.live_joins
    FOR EACH ROW EXECUTE FUNCTION kap.notify_live();
CREATE TRIGGER live_ends_notify AFTER INSERT ON kap.live_ends
    FOR EACH ROW EXECUTE FUNCTION kap.notify_live();
CREATE TRIGGER live_entries_notify AFTER INSERT ON kap.live_entries
    FOR EACH ROW EXECUTE FUNCTION kap.notify_live();
