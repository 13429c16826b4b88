-- Brings an upgraded server's row checks to schema.sql's (December 7, 2026): the hex columns of
-- the tables a sync fills are checked by length and by one character class, not by a regular
-- expression with a counted repeat (PostgreSQL took 13 µs for each, a tenth of a first sync's
-- server time), and entries lose their foreign key to sessions (the row-level check on insert
-- already asks for a session of the entry's author; a quarter of a first sync's server time).
-- Run by `practice upgrade` after the conversion, in the same transaction.

DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT con.conname, rel.relname, att.attname,
               substring(pg_get_constraintdef(con.oid) from '\{(\d+)\}')::int AS digits
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace nsp ON nsp.oid = rel.relnamespace
        JOIN pg_attribute att ON att.attrelid = rel.oid AND att.attnum = con.conkey[1]
        WHERE nsp.nspname = 'kap' AND con.contype = 'c'
          AND rel.relname IN ('sessions', 'signatures', 'addenda', 'check_ins')
          AND pg_get_constraintdef(con.oid) LIKE '%~%[0-9a-f]{%'
    LOOP
        EXECUTE format('ALTER TABLE kap.%I DROP CONSTRAINT %I', c.relname, c.conname);
        EXECUTE format('ALTER TABLE kap.%I ADD CONSTRAINT %I CHECK (length(%I) = %s AND %I !~ %L)',
                       c.relname, c.conname, c.attname, c.digits, c.attname, '[^0-9a-f]');
    END LOOP;
    FOR c IN
        SELECT con.conname FROM pg_constraint con
        WHERE con.conrelid = 'kap.entries'::regclass AND con.contype = 'f'
          AND con.confrelid = 'kap.sessions'::regclass
    LOOP
        EXECUTE format('ALTER TABLE kap.entries DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
