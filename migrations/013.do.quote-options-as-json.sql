-- quotes.options as json, not jsonb: jsonb's binary conversion of every quote's ~12 kB of
-- options doubled PostgreSQL's CPU per stored quote (bench/README.md, the same-run A/B of
-- 2026-12-02), while only an accepted quote's options are ever read, once. json is stored as
-- its text after a validating parse; the acceptance parses the one quote it reads.
ALTER TABLE quotes DROP CONSTRAINT quotes_options_array;
ALTER TABLE quotes ALTER COLUMN options TYPE json USING options::json;
