-- The server's accounting of disclosures to colleagues: the directory a care team lists to learn
-- what is new (which session is whose, of which client, when: nothing clinical), and the log of
-- who fetched which session, when. A colleague reads a session only after its fetch is logged
-- (reading.sql). Run by the owner after schema.sql (`practice init`), after upgrade.sql, or alone
-- on a server set up before the log (`practice upgrade`), in the same transaction.

CREATE TABLE kap.session_directory (
    uuid          uuid PRIMARY KEY REFERENCES kap.sessions,
    author        name NOT NULL,
    client_code   text NOT NULL REFERENCES kap.clients,
    started_at    timestamptz NOT NULL
);
CREATE INDEX session_directory_by_client ON kap.session_directory (client_code);
CREATE INDEX session_directory_by_author ON kap.session_directory (author);

-- Each fetch names the session's client and author as the directory has them, so who may read
-- the log is decided by the row alone.
CREATE TABLE kap.fetches (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_uuid  uuid NOT NULL REFERENCES kap.sessions,
    client_code   text NOT NULL,
    author        name NOT NULL,
    login         name NOT NULL DEFAULT session_user,
    fetched_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fetches_by_login ON kap.fetches (login, session_uuid);
CREATE INDEX fetches_by_session ON kap.fetches (session_uuid);

-- Every session is in the directory, from the statement that adds it.
CREATE FUNCTION kap.list_in_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kap.session_directory (uuid, author, client_code, started_at)
    SELECT uuid, author, client_code, started_at FROM added;
    RETURN NULL;
END $$;
CREATE TRIGGER sessions_listed AFTER INSERT ON kap.sessions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION kap.list_in_directory();

-- A fetch is logged as its login, the server's clock and the directory's client and author,
-- whatever the row said (a session the login cannot list leaves them null, and is refused).
CREATE FUNCTION kap.stamp_fetch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.login := session_user;
    NEW.fetched_at := now();
    SELECT d.client_code, d.author INTO NEW.client_code, NEW.author
    FROM kap.session_directory d WHERE d.uuid = NEW.session_uuid;
    RETURN NEW;
END $$;
CREATE TRIGGER fetches_stamped BEFORE INSERT ON kap.fetches
    FOR EACH ROW EXECUTE FUNCTION kap.stamp_fetch();

-- Sessions already on the server go into the directory (row-level security set aside for it).
ALTER TABLE kap.sessions NO FORCE ROW LEVEL SECURITY;
INSERT INTO kap.session_directory (uuid, author, client_code, started_at)
SELECT uuid, author, client_code, started_at FROM kap.sessions;
ALTER TABLE kap.sessions FORCE ROW LEVEL SECURITY;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['session_directory', 'fetches'] LOOP
        EXECUTE format('CREATE TRIGGER %I_append_only BEFORE UPDATE OR DELETE ON kap.%I
                        FOR EACH ROW EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('CREATE TRIGGER %I_no_truncate BEFORE TRUNCATE ON kap.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION kap.append_only()', t, t);
        EXECUTE format('ALTER TABLE kap.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE kap.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON kap.%I FROM PUBLIC', t);
    END LOOP;
END $$;
