package io.managedb.backup;

import io.managedb.core.Progress;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.pg.ChildEnvironment;
import io.managedb.pg.PgRestoreArgs;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessSpec;
import io.managedb.pg.PsqlArgs;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restores an archive into an (empty) database: custom and directory archives through
 * {@code pg_restore --exit-on-error}, plain ones through {@code psql -v ON_ERROR_STOP=1}. Ownership and privileges
 * are left out unless asked for, so that a backup from one server restores into another whose roles differ.
 * Any error fails the restore: "errors ignored on restore" never passes.
 */
public final class ArchiveRestorer {
    /** pg_restore's own messages (--verbose), not a server notice it passes on: anchored at the line's start. */
    private static final Pattern PROCESSING = Pattern.compile("^pg_restore: processing data for table \"(.*)\"$");
    private static final Pattern FINISHED_DATA = Pattern.compile("^pg_restore: finished item (\\d+) TABLE DATA ");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Told as a restore's rows come in, so that they can be counted meanwhile. */
    public interface Loading {
        /**
         * This table's rows ({@code schema.table}, as pg_restore names it, unquoted) are in and committed (pg_dump
         * writes one TABLE DATA entry per table).
         */
        void table(String name);

        /** Every table's rows are in and committed; the post-data part (indexes, constraints) may still be built. */
        void all();

        Loading NONE = new Loading() {
            @Override
            public void table(String name) {
            }

            @Override
            public void all() {
            }
        };
    }

    private final PgTools tools;

    public ArchiveRestorer(PgTools tools) {
        this.tools = tools;
    }

    /**
     * Checks the archive before its first byte reaches a tool (size and SHA-256 against the manifest; for plain
     * files also every statement, see {@link PlainFile}), then restores it.
     *
     * @param into          the database to restore into (normally a fresh scratch database)
     * @param keepOwnership restore owners and privileges as they were in the source
     */
    public void restore(Archive archive, Target into, int jobs, boolean keepOwnership, Progress progress) {
        restore(ArchiveCheck.none(archive), into, jobs, keepOwnership, progress, Loading.NONE);
    }

    /**
     * Restores an archive checked by {@link ArchiveCheck#start}: what that check established is not read again (a
     * custom file is hashed again only if it changed since), and its read of every data block must succeed too:
     * an unreadable archive is reported rather than pg_restore's failure.
     *
     * @param loading told of each table whose rows are in, as far as pg_restore's messages tell, and once of all of
     *                them: from a file with one job, before a second pg_restore restores the post-data part
     *                (indexes, constraints); with more jobs, when the pg_restore of the rows has finished every table's
     *                rows (the indexes of the first tables build while the others' rows load); from a stream
     *                (decrypted as it is read), at the end
     */
    public void restore(ArchiveCheck check, Target into, int jobs, boolean keepOwnership, Progress progress,
                        Loading loading) {
        Archive archive = check.archive();
        AtomicBoolean allLoaded = new AtomicBoolean();
        Runnable loaded = () -> {
            if (!allLoaded.getAndSet(true)) {
                loading.all();
            }
        };
        try (ChildEnvironment env = tools.environment(into)) {
            if (archive.format() == BackupFormat.PLAIN) {
                restorePlain(archive, check.plain() != null ? check.plain() : PlainFile.check(archive), env,
                        keepOwnership);
                loaded.run();
                return;
            }
            check.requireUnchanged();
            if (!archive.seekable() && jobs > 1) {
                throw streamedJobs(archive);
            }
            // an encrypted archive reaches pg_restore's stdin decrypted as it streams, never as a file; one in a
            // bucket streams from it
            java.nio.file.Path path = archive.pgRestorePath();
            Set<Integer> dataEntries = path != null && (jobs > 1 || progress != Progress.NONE)
                    ? check.tableDataIds(tools) : Set.of();
            int total = progress == Progress.NONE ? 0
                    : path != null ? dataEntries.size() : archive.recordedTables();
            AtomicInteger done = new AtomicInteger();
            PgRestoreArgs base = PgRestoreArgs.into(into.database()).verbose().keepOwnership(keepOwnership).jobs(jobs)
                    .archive(path);
            BiFunction<PgRestoreArgs, Consumer<String>, ProcessSpec> spec = (args, lines) -> ProcessSpec.of(
                    tools.command(PgTool.PG_RESTORE, args.toList()), env.variables()).onStderrLine(line -> {
                        Matcher m = PROCESSING.matcher(line);
                        if (m.find()) {
                            progress.update("restoring tables " + done.incrementAndGet() + "/" + total);
                        }
                        lines.accept(line);
                    });
            try {
                if (path == null) {
                    PlaintextFeed feed = new PlaintextFeed(archive);
                    feed.around(() -> tools.runner().run(spec.apply(base, line -> { }).stdinFrom(feed)));
                } else if (jobs > 1) {
                    // the schema first, in a run of its own: in one run with the rows, pg_restore --jobs empties
                    // each table it has just created before loading it (a TRUNCATE, a new file per table: seconds
                    // for thousands of tables), which pays off only where wal_level = minimal lets a load into a
                    // new file skip the WAL. Not when privileges are restored: pg_restore grants and revokes after
                    // the rows, and a run of the schema alone would apply them before (a revoked INSERT would stop
                    // a role that is not a superuser from loading its own table)
                    PgRestoreArgs rest = base;
                    if (!keepOwnership && !minimalWal(into)) {
                        tools.runner().run(spec.apply(base.jobs(1).section(PgRestoreArgs.Section.PRE_DATA),
                                line -> { }));
                        rest = base.sections(PgRestoreArgs.Section.DATA, PgRestoreArgs.Section.POST_DATA);
                    }
                    // then one pg_restore for the rows and the post-data part, so that no job waits for the last
                    // table's rows to build the indexes of the others; the rows are all in when it has finished
                    // every TABLE DATA entry
                    Set<Integer> pending = ConcurrentHashMap.newKeySet();
                    pending.addAll(dataEntries);
                    tools.runner().run(spec.apply(rest, line -> {
                        Matcher m = FINISHED_DATA.matcher(line);
                        if (m.find() && pending.remove(Integer.parseInt(m.group(1))) && pending.isEmpty()) {
                            loaded.run();
                        }
                    }));
                } else {
                    // with one job, a table's rows are in when pg_restore goes on to the next table's
                    AtomicReference<String> current = new AtomicReference<>();
                    tools.runner().run(spec.apply(base.sections(PgRestoreArgs.Section.PRE_DATA,
                            PgRestoreArgs.Section.DATA), line -> {
                                Matcher m = PROCESSING.matcher(line);
                                String previous = m.find() ? current.getAndSet(m.group(1)) : null;
                                if (previous != null) {
                                    loading.table(previous);
                                }
                            }));
                    if (current.get() != null) {
                        loading.table(current.get());
                    }
                    loaded.run();
                    tools.runner().run(spec.apply(base.section(PgRestoreArgs.Section.POST_DATA), line -> { }));
                }
                loaded.run();
            } catch (RuntimeException e) {
                check.afterFailure(); // an unreadable archive is the reason to report
                throw e;
            }
            check.awaitReadable();
        } finally {
            progress.done();
        }
    }

    /** Whether the server of {@code into} runs with {@code wal_level = minimal}. */
    private static boolean minimalWal(Target into) {
        try (Connection c = Connections.open(into)) {
            return "minimal".equals(Catalog.single(c, "SHOW wal_level"));
        } catch (SQLException e) {
            throw Connections.translate(into, e);
        }
    }

    /**
     * Feeds psql only what {@link PlainFile#stream} lets through. Where psql has restricted mode, the stream starts
     * with {@code \restrict} and a key the file cannot know, so psql itself refuses any backslash command the
     * vetting might have missed.
     */
    private void restorePlain(Archive archive, PlainFile.Checked checked, ChildEnvironment env,
                              boolean keepOwnership) {
        List<String> args = PsqlArgs.into(env.variables().get("PGDATABASE")).toList();
        String key = tools.version(PgTool.PSQL).restrictedMode() ? randomKey() : null;
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        tools.runner().run(ProcessSpec.of(tools.command(PgTool.PSQL, args), env.variables())
                .stdoutTo(java.io.OutputStream.nullOutputStream())
                .stdinFrom(stdin -> {
                    try {
                        PlainFile.stream(archive, checked, stdin, keepOwnership, key);
                    } catch (RuntimeException e) {
                        failed.set(e);
                    }
                }));
        if (failed.get() != null) {
            throw failed.get();
        }
    }

    /**
     * pg_restore --jobs needs a seekable file: an encrypted archive is never decrypted to one, and one in a bucket is
     * streamed from it. Exit 2.
     */
    public static io.managedb.core.ManageDbException streamedJobs(Archive archive) {
        return new io.managedb.core.ManageDbException(io.managedb.core.ExitCode.USAGE, "backup "
                + archive.name() + (archive.encrypted() ? " is encrypted" : " is in object storage")
                + ": it is restored from a stream, which pg_restore reads with one job only; use --jobs 1"
                + (archive.encrypted() ? " (no plaintext copy is written to disk)" : ""));
    }

    private static String randomKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
