package io.managedb.pg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pg_dump argument list, built from typed options in one fixed order (without the program and
 * {@code --no-password}, which {@link PgTools#command} adds). Immutable: each option returns a new builder.
 */
public record PgDumpArgs(Format format, boolean logTables, String snapshot, Integer compress, int jobs, DumpScope scope,
                         boolean withoutTriggers, List<String> tables, List<String> excludeTables,
                         List<String> excludeTableData, Path file) {
    /** pg_dump's {@code --format}: its code is the name's first letter, lower case. */
    public enum Format {
        CUSTOM, PLAIN, DIRECTORY;

        public String code() {
            return name().substring(0, 1).toLowerCase(Locale.ROOT);
        }
    }


    /**
     * @param logTables       {@code --verbose}
     * @param withoutTriggers {@code --disable-triggers}
     */
    public PgDumpArgs {
        tables = List.copyOf(tables);
        excludeTables = List.copyOf(excludeTables);
        excludeTableData = List.copyOf(excludeTableData);
    }

    /** A dump in this format, to stdout, of the whole database. */
    public static PgDumpArgs format(Format format) {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
        return new PgDumpArgs(format, false, null, null, 1, DumpScope.FULL, false, List.of(), List.of(), List.of(), null);
    }

    /** {@code --verbose}: one stderr line per table, read for progress. */
    public PgDumpArgs verbose() {
        return new PgDumpArgs(format, true, snapshot, compress, jobs, scope, withoutTriggers, tables, excludeTables,
                excludeTableData, file);
    }

    /** {@code --snapshot=ID}, an exported snapshot; null: none. */
    public PgDumpArgs snapshot(String id) {
        return new PgDumpArgs(format, logTables, id, compress, jobs, scope, withoutTriggers, tables, excludeTables,
                excludeTableData, file);
    }

    /** {@code --compress=N} (0-9); null: pg_dump's default. */
    public PgDumpArgs compress(Integer level) {
        if (level != null && (level < 0 || level > 9)) {
            throw new IllegalArgumentException("compression level must be between 0 and 9: " + level);
        }
        return new PgDumpArgs(format, logTables, snapshot, level, jobs, scope, withoutTriggers, tables, excludeTables,
                excludeTableData, file);
    }

    /** {@code --jobs=N} when N > 1 (pg_dump allows it only for the directory format). */
    public PgDumpArgs jobs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + n);
        }
        if (n > 1 && format != Format.DIRECTORY) {
            throw new IllegalArgumentException("pg_dump --jobs needs the directory format");
        }
        return new PgDumpArgs(format, logTables, snapshot, compress, n, scope, withoutTriggers, tables, excludeTables,
                excludeTableData, file);
    }

    public PgDumpArgs scope(DumpScope s) {
        return new PgDumpArgs(format, logTables, snapshot, compress, jobs, s == null ? DumpScope.FULL : s, withoutTriggers,
                tables, excludeTables, excludeTableData, file);
    }

    /** {@code --disable-triggers} (data-only dumps restored by a superuser). */
    public PgDumpArgs disableTriggers() {
        return new PgDumpArgs(format, logTables, snapshot, compress, jobs, scope, true, tables, excludeTables,
                excludeTableData, file);
    }

    /** One {@code --table=PATTERN} each, in order. */
    public PgDumpArgs tables(List<String> patterns) {
        return new PgDumpArgs(format, logTables, snapshot, compress, jobs, scope, withoutTriggers, patterns,
                excludeTables, excludeTableData, file);
    }

    /** One {@code --exclude-table=PATTERN} each, in order. */
    public PgDumpArgs excludeTables(List<String> patterns) {
        return new PgDumpArgs(format, logTables, snapshot, compress, jobs, scope, withoutTriggers, tables, patterns,
                excludeTableData, file);
    }

    /** One {@code --exclude-table-data=PATTERN} each, in order. */
    public PgDumpArgs excludeTableData(List<String> patterns) {
        return new PgDumpArgs(format, logTables, snapshot, compress, jobs, scope, withoutTriggers, tables,
                excludeTables, patterns, file);
    }

    /** {@code --file=PATH} (required for the directory format); null: stdout. */
    public PgDumpArgs file(Path path) {
        return new PgDumpArgs(format, logTables, snapshot, compress, jobs, scope, withoutTriggers, tables,
                excludeTables, excludeTableData, path);
    }

    public List<String> toList() {
        if (format == Format.DIRECTORY && file == null) {
            throw new IllegalStateException("pg_dump --format=d needs --file");
        }
        List<String> args = new ArrayList<>();
        args.add("--format=" + format.code());
        if (logTables) {
            args.add("--verbose");
        }
        if (snapshot != null) {
            args.add("--snapshot=" + snapshot);
        }
        if (compress != null) {
            args.add("--compress=" + compress);
        }
        if (jobs > 1) {
            args.add("--jobs=" + jobs);
        }
        if (scope == DumpScope.SCHEMA_ONLY) {
            args.add("--schema-only");
        } else if (scope == DumpScope.DATA_ONLY) {
            args.add("--data-only");
        }
        if (withoutTriggers) {
            args.add("--disable-triggers");
        }
        tables.forEach(t -> args.add("--table=" + t));
        excludeTables.forEach(t -> args.add("--exclude-table=" + t));
        excludeTableData.forEach(t -> args.add("--exclude-table-data=" + t));
        if (file != null) {
            args.add("--file=" + file);
        }
        return List.copyOf(args);
    }

    @Override
    public String toString() {
        return String.join(" ", toList());
    }
}
