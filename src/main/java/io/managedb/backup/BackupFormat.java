package io.managedb.backup;

import io.managedb.pg.PgDumpArgs;

/** pg_dump output formats manage-db writes: custom ({@code .dump}), plain ({@code .sql.gz}), directory ({@code .dir}). */
public enum BackupFormat {
    CUSTOM, PLAIN, DIRECTORY;

    /** pg_dump's format of the same name. */
    public PgDumpArgs.Format dumpFormat() {
        return PgDumpArgs.Format.valueOf(name());
    }

    /** File name extension for a backup of this format; plain backups are gzipped unless compression is 0. */
    public String extension(Integer compress) {
        return switch (this) {
            case CUSTOM -> ".dump";
            case PLAIN -> compress != null && compress == 0 ? ".sql" : ".sql.gz";
            case DIRECTORY -> ".dir";
        };
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
