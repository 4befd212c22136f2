package io.managedb.subset;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;

import java.util.List;

/**
 * Which rows a subset copy starts from: each condition's rows, and with a percent a sample of every root table (see
 * {@link Relations#roots()}) that has no condition of its own; then every row they reference, and with
 * {@code withChildren} every row that references them.
 *
 * @param conditions {@code --subset 'schema.table: where clause'}, in the order given
 * @param percent    {@code --subset-percent}, more than 0 and at most 100; null: none
 */
public record SubsetOptions(List<Condition> conditions, Double percent, boolean withChildren) {
    /** The rows of {@code table} ({@code schema.table}, or a table name that only one schema has) matching {@code where}. */
    public record Condition(String table, String where) {
        @Override
        public String toString() {
            return table + ": " + where;
        }
    }

    public SubsetOptions {
        conditions = List.copyOf(conditions);
        if (percent != null && !(percent > 0 && percent <= 100)) {
            throw new ManageDbException(ExitCode.USAGE, "--subset-percent must be more than 0 and at most 100, not "
                    + percent);
        }
        if (conditions.isEmpty() && percent == null) {
            throw new ManageDbException(ExitCode.USAGE, "--with-children needs --subset or --subset-percent");
        }
    }

    /** The subset these options ask for, or null when they ask for none (a whole copy). */
    public static SubsetOptions of(List<String> subsets, Double percent, boolean withChildren) {
        if (subsets.isEmpty() && percent == null && !withChildren) {
            return null;
        }
        return new SubsetOptions(subsets.stream().map(SubsetOptions::condition).toList(), percent, withChildren);
    }

    /** {@code schema.table: where clause}. */
    static Condition condition(String arg) {
        int colon = arg.indexOf(':');
        String table = colon < 0 ? "" : arg.substring(0, colon).trim();
        String where = colon < 0 ? "" : arg.substring(colon + 1).trim();
        if (table.isEmpty() || where.isEmpty()) {
            throw new ManageDbException(ExitCode.USAGE, "--subset '" + arg + "': expected 'schema.table: where clause',"
                    + " e.g. 'public.customer: store_id = 1'");
        }
        return new Condition(table, where);
    }
}
