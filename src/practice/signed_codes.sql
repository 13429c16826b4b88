-- A signature keeps the client's code it was signed under when its author's journal knows the
-- client by another code than the practice's (`practice link LOCAL PRACTICE`): the signature's
-- digest covers the code signed under, so a colleague's journal checks it against that code.
-- Run by `practice init` and `practice upgrade`; a server without it takes every signature made
-- under the practice's own code, as before.
ALTER TABLE kap.signatures ADD COLUMN IF NOT EXISTS client_code text
    CHECK (client_code IS NULL OR length(client_code) BETWEEN 1 AND 64);
