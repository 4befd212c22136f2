package io.managedb.config;

/** Every manage-db setting, with its default and what it is for (listed in .env.example and the README). */
public enum Setting {
    ENV("MANAGE_DB_ENV", "dev", "environment used when --env is not given"),
    ENV_FILE("MANAGE_DB_ENV_FILE", ".env", "the .env file to read when --env-file is not given"),
    PROTECTED_ENVS("MANAGE_DB_PROTECTED_ENVS", "prod",
            "comma-separated environments whose destructive operations need the typed name or --confirm;"
                    + " each must be configured; blank means the default, none protects none"),
    BACKUP_DIR("MANAGE_DB_BACKUP_DIR", "backups", "where backups and their manifests are written"),
    MIGRATIONS_DIR("MANAGE_DB_MIGRATIONS_DIR", "db/migration", "SQL migrations (V/U/R scripts)"),
    PLACEHOLDERS("MANAGE_DB_PLACEHOLDERS", "off",
            "on: replace ${name} placeholders in migrations as Flyway does, with values from"
                    + " MANAGE_DB_PLACEHOLDER_<NAME> and Flyway's ${flyway:...} built-ins; blank follows"
                    + " flyway.conf/flyway.toml when there is one (Flyway's default: on)"),
    TRIGGERS_DIR("MANAGE_DB_TRIGGERS_DIR", "db/triggers", "project trigger files, applied in name order"),
    SEED_DIR("MANAGE_DB_SEED_DIR", "db/seed", "seed SQL files run by init --seed"),
    TRIGGERS("MANAGE_DB_TRIGGERS", "updated_at", "enabled built-in trigger sets: updated_at, audit"),
    UPDATED_AT_COLUMNS("MANAGE_DB_UPDATED_AT_COLUMNS", "updated_at",
            "timestamp columns the updated_at triggers keep current (first match per table)"),
    AUDIT_TABLES("MANAGE_DB_AUDIT_TABLES", "", "tables the audit triggers record, as patterns: public.*,billing.invoice"),
    AUDIT_EXCLUDE_COLUMNS("MANAGE_DB_AUDIT_EXCLUDE_COLUMNS", "",
            "columns left out of the audit log: password_hash (any table) or public.users.token"),
    PG_BIN("MANAGE_DB_PG_BIN", "",
            "directory of pg_dump/pg_restore/psql (default: PATH, then the newest /usr/lib/postgresql/*/bin)"),
    MAX_BACKUP_AGE("MANAGE_DB_MAX_BACKUP_AGE", "",
            "the newest good backup may be at most this old for doctor (26h, 90m, 2d); blank: not checked");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
