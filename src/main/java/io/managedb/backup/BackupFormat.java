package io.managedb.backup;

/** pg_dump output formats manage-db writes: custom ({@code .dump}), plain ({@code .sql.gz}), directory ({@code .dir}). */
public enum BackupFormat {
    CUSTOM("c"), PLAIN("p"), DIRECTORY("d");

    private final String pgDumpFormat;

    BackupFormat(String pgDumpFormat) {
        this.pgDumpFormat = pgDumpFormat;
    }

    public String pgDumpFormat() {
        return pgDumpFormat;
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
