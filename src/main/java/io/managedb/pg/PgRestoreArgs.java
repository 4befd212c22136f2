package io.managedb.pg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pg_restore argument list, built from typed options in one fixed order (without the program and
 * {@code --no-password}, which {@link PgTools#command} adds). Three shapes: {@link #into} restores into a database,
 * {@link #list} prints the table of contents, {@link #readAll} reads every data block and writes nowhere. The
 * archive comes last; without one pg_restore reads it from stdin. Immutable.
 */
public final class PgRestoreArgs {
    /** {@code --section}. */
    public enum Section {
        PRE_DATA("pre-data"), DATA("data"), POST_DATA("post-data");

        private final String name;

        Section(String name) {
            this.name = name;
        }

        public String argument() {
            return name;
        }
    }

    private enum Mode { RESTORE, LIST, READ_ALL }

    private final Mode mode;
    private final String dbname;
    private final boolean verbose;
    private final boolean keepOwnership;
    private final List<Section> sections;
    private final Path useList;
    private final int jobs;
    private final Path archive;

    private PgRestoreArgs(Mode mode, String dbname, boolean verbose, boolean keepOwnership, List<Section> sections,
                          Path useList, int jobs, Path archive) {
        this.mode = mode;
        this.dbname = dbname;
        this.verbose = verbose;
        this.keepOwnership = keepOwnership;
        this.sections = sections;
        this.useList = useList;
        this.jobs = jobs;
        this.archive = archive;
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
        return new PgRestoreArgs(mode, dbname, true, keepOwnership, sections, useList, jobs, archive);
    }

    /** Restores owners and privileges as they were (leaves out {@code --no-owner --no-acl}). */
    public PgRestoreArgs keepOwnership(boolean keep) {
        requireRestore("ownership");
        return new PgRestoreArgs(mode, dbname, verbose, keep, sections, useList, jobs, archive);
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
        return new PgRestoreArgs(mode, dbname, verbose, keepOwnership, List.of(s), useList, jobs, archive);
    }

    /** {@code --use-list=FILE}: only the entries that file lists, in its order. */
    public PgRestoreArgs useList(Path listFile) {
        requireRestore("--use-list");
        return new PgRestoreArgs(mode, dbname, verbose, keepOwnership, sections, listFile, jobs, archive);
    }

    /** {@code --jobs=N} when N > 1 (needs an archive file, not stdin). */
    public PgRestoreArgs jobs(int n) {
        requireRestore("--jobs");
        if (n < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + n);
        }
        return new PgRestoreArgs(mode, dbname, verbose, keepOwnership, sections, useList, n, archive);
    }

    /** The archive to read; null: stdin. */
    public PgRestoreArgs archive(Path path) {
        return new PgRestoreArgs(mode, dbname, verbose, keepOwnership, sections, useList, jobs, path);
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
                if (verbose) {
                    args.add("--verbose");
                }
                if (!keepOwnership) {
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
        if (verbose && mode != Mode.RESTORE) {
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
