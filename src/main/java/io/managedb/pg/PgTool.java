package io.managedb.pg;

/** The PostgreSQL client programs manage-db runs. */
public enum PgTool {
    PG_DUMP("pg_dump"), PG_RESTORE("pg_restore"), PSQL("psql");

    private final String program;

    PgTool(String program) {
        this.program = program;
    }

    public String program() {
        return program;
    }
}
