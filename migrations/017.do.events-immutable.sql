-- Events are immutable: an event, once written, is what every poller and receiver saw, so no
-- statement may change one. Retention deletes whole rows, which stays allowed.
-- A placeholder so the trigger can be created: the function's definition is
-- migrations/functions/events_immutable.sql, which `npm run migrate` applies right after this file.
CREATE FUNCTION events_immutable () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'events_immutable is not installed: run npm run migrate'; END $$;
CREATE TRIGGER events_immutable BEFORE UPDATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_immutable();
