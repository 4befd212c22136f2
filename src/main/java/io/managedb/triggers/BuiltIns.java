package io.managedb.triggers;

/**
 * The built-in trigger functions, in schema {@code manage_db}. Their bodies are kept here so that {@code verify}
 * can tell when someone edited a function by hand (its {@code prosrc} differs from these).
 */
final class BuiltIns {
    static final String SCHEMA = "manage_db";
    static final String UPDATED_AT_TRIGGER = "manage_db_updated_at";
    static final String AUDIT_TRIGGER = "manage_db_audit";
    static final String UPDATED_AT_FUNCTION = "set_updated_at";
    static final String AUDIT_FUNCTION = "audit";

    /** Sets the column named by the trigger's first argument to the current time. */
    static final String UPDATED_AT_BODY = """

            BEGIN
                NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
                RETURN NEW;
            END;
            """;

    /**
     * Writes one audit_log row per changed row: old and new values as jsonb (for updates only the changed
     * columns), minus the columns named in the trigger's arguments; the primary key; transaction id; database
     * user; application user (setting app.user).
     */
    static final String AUDIT_BODY = """

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
            """;

    static final String AUDIT_TABLE = """
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
            )""";

    static final String FILES_TABLE = """
            CREATE TABLE IF NOT EXISTS manage_db.trigger_files (
                file       text PRIMARY KEY,
                sha256     text NOT NULL,
                triggers   text[] NOT NULL DEFAULT '{}',
                applied_at timestamptz NOT NULL DEFAULT now()
            )""";

    private BuiltIns() {
    }

    static String function(String name, String body) {
        return "CREATE OR REPLACE FUNCTION " + SCHEMA + "." + name + "() RETURNS trigger LANGUAGE plpgsql AS $fn$"
                + body + "$fn$";
    }
}
