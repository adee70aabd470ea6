-- Quote bodies are ~15 kB of JSON text written once and read rarely: lz4 compresses them at a
-- fraction of pglz's CPU cost. Only where the server was built with lz4.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE quotes ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE idempotency_keys ALTER COLUMN response_body SET COMPRESSION lz4;
  END IF;
END
$$;
