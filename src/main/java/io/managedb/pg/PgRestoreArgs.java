package io.managedb.pg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pg_restore argument list, built from typed options in one fixed order (without the program and
 * {@code --no-password}, which {@link PgTools#command} adds). Three shapes: {@link #into} restores into a database,
 * {@link #list} prints the table of contents, {@link #readAll} reads every data block and writes nowhere. The
 * archive comes last; without one pg_restore reads it from stdin. Immutable.
 */
public record PgRestoreArgs(Mode mode, String dbname, boolean logEntries, boolean withOwnership,
                            List<Section> sections, Path useList, int jobs, Path archive) {
    /** {@code --section}: the name in lower case, with hyphens. */
    public enum Section {
        PRE_DATA, DATA, POST_DATA;

        public String argument() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What pg_restore does with the archive: restore it, list its entries, or read it all. */
    public enum Mode { RESTORE, LIST, READ_ALL }

    /**
     * @param logEntries    {@code --verbose}
     * @param withOwnership owners and privileges as they were (no {@code --no-owner --no-acl})
     */
    public PgRestoreArgs {
        sections = List.copyOf(sections);
    }

    /**
     * Restores into {@code database} with {@code --exit-on-error}, without owners and privileges unless
     * {@link #keepOwnership()}.
     */
    public static PgRestoreArgs into(String database) {
        if (database == null || database.isEmpty()) {
            throw new IllegalArgumentException("database is required");
        }
        return new PgRestoreArgs(Mode.RESTORE, database, false, false, List.of(), null, 1, null);
    }

    /** {@code --list}: the table of contents only (passes an archive cut short). */
    public static PgRestoreArgs list() {
        return new PgRestoreArgs(Mode.LIST, null, false, false, List.of(), null, 1, null);
    }

    /** {@code --file=/dev/null}: reads every data block, restores nothing. */
    public static PgRestoreArgs readAll() {
        return new PgRestoreArgs(Mode.READ_ALL, null, false, false, List.of(), null, 1, null);
    }

    public PgRestoreArgs verbose() {
        return new PgRestoreArgs(mode, dbname, true, withOwnership, sections, useList, jobs, archive);
    }

    /** Restores owners and privileges as they were (leaves out {@code --no-owner --no-acl}). */
    public PgRestoreArgs keepOwnership(boolean keep) {
        requireRestore("ownership");
        return new PgRestoreArgs(mode, dbname, logEntries, keep, sections, useList, jobs, archive);
    }

    public PgRestoreArgs keepOwnership() {
        return keepOwnership(true);
    }

    public PgRestoreArgs section(Section s) {
        return sections(s);
    }

    /** {@code --section} for each: only the entries of these sections. */
    public PgRestoreArgs sections(Section... s) {
        requireRestore("--section");
        return new PgRestoreArgs(mode, dbname, logEntries, withOwnership, List.of(s), useList, jobs, archive);
    }

    /** {@code --use-list=FILE}: only the entries that file lists, in its order. */
    public PgRestoreArgs useList(Path listFile) {
        requireRestore("--use-list");
        return new PgRestoreArgs(mode, dbname, logEntries, withOwnership, sections, listFile, jobs, archive);
    }

    /** {@code --jobs=N} when N > 1 (needs an archive file, not stdin). */
    public PgRestoreArgs jobs(int n) {
        requireRestore("--jobs");
        if (n < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + n);
        }
        return new PgRestoreArgs(mode, dbname, logEntries, withOwnership, sections, useList, n, archive);
    }

    /** The archive to read; null: stdin. */
    public PgRestoreArgs archive(Path path) {
        return new PgRestoreArgs(mode, dbname, logEntries, withOwnership, sections, useList, jobs, path);
    }

    private void requireRestore(String what) {
        if (mode != Mode.RESTORE) {
            throw new IllegalStateException(what + " applies only to a restore into a database");
        }
    }

    public List<String> toList() {
        if (jobs > 1 && archive == null) {
            throw new IllegalStateException("pg_restore --jobs cannot read the archive from stdin");
        }
        List<String> args = new ArrayList<>();
        switch (mode) {
            case LIST -> args.add("--list");
            case READ_ALL -> args.add("--file=/dev/null");
            case RESTORE -> {
                args.add("--exit-on-error");
                if (logEntries) {
                    args.add("--verbose");
                }
                if (!withOwnership) {
                    args.add("--no-owner");
                    args.add("--no-acl");
                }
                args.add("--dbname=" + dbname);
                for (Section section : sections) {
                    args.add("--section=" + section.argument());
                }
                if (useList != null) {
                    args.add("--use-list=" + useList);
                }
                if (jobs > 1) {
                    args.add("--jobs=" + jobs);
                }
            }
            default -> throw new IllegalStateException(mode.toString());
        }
        if (logEntries && mode != Mode.RESTORE) {
            args.add("--verbose");
        }
        if (archive != null) {
            args.add(archive.toString());
        }
        return List.copyOf(args);
    }

    @Override
    public String toString() {
        return String.join(" ", toList());
    }
}
