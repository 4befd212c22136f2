package io.managedb.pg;

import java.util.Locale;

/** The PostgreSQL client programs manage-db runs. */
public enum PgTool {
    PG_DUMP, PG_RESTORE, PSQL;

    /** The program's file name: the constant's name in lower case. */
    public String program() {
        return name().toLowerCase(Locale.ROOT);
    }
}
