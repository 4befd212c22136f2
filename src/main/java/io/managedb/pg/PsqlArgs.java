package io.managedb.pg;

import java.util.ArrayList;
import java.util.List;

/**
 * A psql argument list for running SQL into a database: always {@code -X} (no ~/.psqlrc), {@code -q} and
 * {@code ON_ERROR_STOP=1} (psql carries on after an error otherwise), then {@code -c} commands and the script, in
 * psql's order of execution. Without the program and {@code --no-password}, which {@link PgTools#command} adds.
 * Immutable.
 */
public final class PsqlArgs {
    private final String dbname;
    private final boolean singleTransaction;
    private final List<String> commands;

    private PsqlArgs(String dbname, boolean singleTransaction, List<String> commands) {
        this.dbname = dbname;
        this.singleTransaction = singleTransaction;
        this.commands = List.copyOf(commands);
    }

    /** Runs a script read from stdin ({@code -f -}) in {@code database}. */
    public static PsqlArgs into(String database) {
        if (database == null || database.isEmpty()) {
            throw new IllegalArgumentException("database is required");
        }
        return new PsqlArgs(database, false, List.of());
    }

    /** {@code --single-transaction}: the {@code -c} commands and the script commit together or not at all. */
    public PsqlArgs singleTransaction() {
        return new PsqlArgs(dbname, true, commands);
    }

    /** A {@code -c SQL} run before the script (SQL only: psql would run a backslash command too). */
    public PsqlArgs command(String sql) {
        if (sql == null || sql.strip().startsWith("\\")) {
            throw new IllegalArgumentException("a -c command must be SQL");
        }
        List<String> more = new ArrayList<>(commands);
        more.add(sql);
        return new PsqlArgs(dbname, singleTransaction, more);
    }

    public List<String> toList() {
        List<String> args = new ArrayList<>(List.of("-X", "-q", "-v", "ON_ERROR_STOP=1"));
        if (singleTransaction) {
            args.add("--single-transaction");
        }
        args.add("--dbname=" + dbname);
        for (String sql : commands) {
            args.add("-c");
            args.add(sql);
        }
        args.add("-f");
        args.add("-");
        return List.copyOf(args);
    }

    @Override
    public String toString() {
        return String.join(" ", toList());
    }
}
