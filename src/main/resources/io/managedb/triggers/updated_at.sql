-- manage-db built-in trigger set updated_at: the shared function behind every manage_db_updated_at trigger.
-- Sets the column named by the trigger's first argument to the current time.
CREATE OR REPLACE FUNCTION manage_db.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
    RETURN NEW;
END;
$fn$;
