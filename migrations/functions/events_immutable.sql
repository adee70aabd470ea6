-- The events table's update guard (migration 017): events are immutable, so any UPDATE of them
-- fails, whoever runs it. This file is the function's only definition: `npm run migrate` applies
-- it after the versioned migrations.
CREATE OR REPLACE FUNCTION events_immutable ()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable: an event is never changed once written (retention deletes whole rows)'
    USING ERRCODE = 'restrict_violation';
END
$$;
