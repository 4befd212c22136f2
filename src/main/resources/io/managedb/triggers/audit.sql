-- manage-db built-in trigger set audit: the audit log and the function behind every manage_db_audit trigger.
-- One row per changed row: old and new values as jsonb (only the changed columns for updates), minus the
-- columns named in the trigger's arguments; primary key; transaction id; database and application user.
CREATE TABLE IF NOT EXISTS manage_db.audit_log (
    id          bigserial PRIMARY KEY,
    table_name  text        NOT NULL,
    operation   text        NOT NULL,
    old_row     jsonb,
    new_row     jsonb,
    primary_key jsonb,
    txid        bigint      NOT NULL,
    db_user     text        NOT NULL,
    app_user    text,
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION manage_db.audit() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    pk jsonb;
    changed text[];
BEGIN
    IF TG_NARGS > 0 THEN
        old_row := old_row - TG_ARGV::text[];
        new_row := new_row - TG_ARGV::text[];
    END IF;
    SELECT jsonb_object_agg(a.attname, coalesce(new_row, old_row) -> a.attname::text) INTO pk
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = TG_RELID AND i.indisprimary;
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(n.key) INTO changed FROM jsonb_each(new_row) n
         WHERE n.value IS DISTINCT FROM old_row -> n.key;
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
        old_row := (SELECT jsonb_object_agg(k, old_row -> k) FROM unnest(changed) k);
        new_row := (SELECT jsonb_object_agg(k, new_row -> k) FROM unnest(changed) k);
    END IF;
    INSERT INTO manage_db.audit_log (table_name, operation, old_row, new_row, primary_key, txid,
                                     db_user, app_user)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, old_row, new_row, pk, txid_current(),
            session_user, current_setting('app.user', true));
    RETURN NULL;
END;
$fn$;
