package io.managedb.restore;

import io.managedb.db.DatabaseReplacer;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.backup.Archive;
import io.managedb.backup.ArchiveCheck;
import io.managedb.backup.ArchiveRestorer;
import io.managedb.backup.BackupCatalog;
import io.managedb.backup.BackupService;
import io.managedb.backup.StoredBackup;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.RowCounter;
import io.managedb.operation.Destructive;
import io.managedb.operation.GuardedOperation;
import io.managedb.pg.PgTools;
import io.managedb.safety.Guard;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Restores a backup into an environment's database, atomically, through the {@link GuardedOperation} steps: the
 * archive is checked (size and SHA-256 against the manifest, every data block readable, a plain file's statements
 * vetted; a custom or directory archive's SHA-256 is computed while the next steps run, and waited for before anyone
 * is asked, anything is backed up or restored, or another failure is reported) → confirm → stamp → lock → a scratch
 * database created like the target → safety backup of the target → restore into the scratch database (SHA-256
 * checked again before the first byte reaches the tool if the file changed since) → row counts verified, each
 * table's as soon as its rows are in → swap. Anything failing before the swap leaves the target exactly as it was;
 * afterwards the target equals the backup (objects only in the old target are gone) and keeps its environment
 * stamp.
 */
public final class RestoreService {
    private final PgTools tools;
    private final BackupCatalog catalog;
    private final GuardedOperation pipeline;

    public RestoreService(PgTools tools, BackupService backups, BackupCatalog catalog) {
        this(tools, catalog, new GuardedOperation(backups));
    }

    public RestoreService(PgTools tools, BackupCatalog catalog, GuardedOperation pipeline) {
        this.tools = tools;
        this.catalog = catalog;
        this.pipeline = pipeline;
    }

    /** What a restore works with: the checked archive, then under the lock the scratch database to build. */
    private record Plan(ArchiveCheck check, DatabaseReplacer replacer) implements AutoCloseable {
        Archive archive() {
            return check.archive();
        }

        @Override
        public void close() {
            try (Archive a = check.archive(); ArchiveCheck c = check) {
                if (replacer != null) {
                    replacer.close();
                }
            }
        }
    }

    public RestoreResult restore(Environment env, RestoreRequest request, Guard guard, Progress progress) {
        Instant started = Instant.now();
        Target target = env.target();
        return pipeline.run(env, Destructive.<Plan, RestoreResult>named("restore", () -> checked(env, request,
                        request.jobs() > 1 || progress != Progress.NONE))
                .checkedBy(plan -> plan.check().awaitChecksum())
                .confirming(plan -> "restore " + plan.archive().name() + " into database "
                        + target.database())
                .underLock((plan, lock) -> new Plan(plan.check(), DatabaseReplacer.prepare(target, tools.runner())))
                .safetyBackup(plan -> {
                    if (!request.safetyBackup() || !plan.replacer().targetExists()) {
                        return null;
                    }
                    plan.check().awaitReadable(); // a restore refused for its archive leaves no safety backup
                    return "pre-restore";
                })
                .work((plan, lock, backup) -> {
                    DatabaseReplacer replacer = plan.replacer();
                    Map<String, Long> expected = plan.archive().manifest() == null ? null
                            : plan.archive().manifest().rowCounts();
                    // the rows are counted as they come in, and flushed when the swap will drop a database, while
                    // the indexes build
                    AtomicBoolean restored = new AtomicBoolean();
                    try (RowCounter counter = expected == null ? null : new RowCounter(replacer.scratch())) {
                        try {
                            // checks size and SHA-256 (plain: and every statement) before the first byte reaches the
                            // tool
                            new ArchiveRestorer(tools).restore(plan.check(), replacer.scratch(),
                                    Math.max(1, request.jobs()), request.keepOwnership(), progress,
                                    new ArchiveRestorer.Loading() {
                                        @Override
                                        public void table(String name) {
                                            if (counter != null) {
                                                counter.loaded(name);
                                            }
                                        }

                                        @Override
                                        public void all() {
                                            replacer.flushEarly();
                                            if (counter != null) {
                                                counter.allLoaded(restored::get);
                                            }
                                        }
                                    });
                        } finally {
                            restored.set(true);
                        }
                        Integer verified = counter == null ? null : verifyRowCounts(expected, counter.counts());
                        int terminated = replacer.swap();
                        return new RestoreResult(plan.archive().address(), env.name(), target.database(), backup,
                                verified, terminated, Duration.between(started, Instant.now()).toMillis() / 1000.0);
                    }
                }), guard, request.lockWait(), progress);
    }

    /** The archive, checked before anything else: checksum, every data block readable, its scope. */
    private Plan checked(Environment env, RestoreRequest request, boolean listTableData) {
        Archive archive = catalog.open(resolve(env, request));
        try {
            if (!archive.seekable() && request.jobs() > 1) {
                throw ArchiveRestorer.streamedJobs(archive);
            }
            // size and SHA-256 from here on, in the background (a plain file: its one read, vetting included, now);
            // every data block is read meanwhile when a safety backup may come first, else by the restore itself; the
            // table of contents is listed meanwhile when the restore will need it
            ArchiveCheck check = ArchiveCheck.start(archive, tools, request.safetyBackup(), listTableData);
            try {
                requireScope(archive, request.schemaOnly());
            } catch (RuntimeException e) {
                try (check) {
                    check.afterFailure(); // an unreadable archive is reported first, as when it was read here
                }
                throw e;
            }
            return new Plan(check, null);
        } catch (RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    private StoredBackup resolve(Environment env, RestoreRequest request) {
        if (request.archive() != null) {
            return request.archive();
        }
        Environment from = request.from() != null ? request.from() : env;
        return catalog.requireLatest(from);
    }

    /**
     * A data-only backup cannot replace a database; a schema-only one empties every table, so it takes
     * {@code --schema-only} to say that the data should go (exit 2 otherwise, before anything changes).
     */
    private static void requireScope(Archive archive, boolean schemaOnly) {
        String scope = archive.manifest() == null ? null : archive.manifest().scope();
        String name = archive.name();
        if ("data-only".equals(scope)) {
            throw new ManageDbException(ExitCode.USAGE, "backup " + name
                    + " is data-only: it cannot replace a database (use pg_restore --data-only by hand)");
        }
        if ("schema-only".equals(scope) && !schemaOnly) {
            throw new ManageDbException(ExitCode.USAGE, "backup " + name + " is schema-only: restoring it leaves every"
                    + " table empty; pass --schema-only to replace the database with its schema and no data");
        }
        if (schemaOnly && !"schema-only".equals(scope)) {
            throw new ManageDbException(ExitCode.USAGE, "--schema-only: backup " + name + " is "
                    + (scope == null ? "not known to be schema-only (it has no manifest)" : "a " + scope + " backup")
                    + "; restore it without --schema-only");
        }
    }

    /** The restored scratch database's row counts against the manifest's: how many tables were compared. */
    private static int verifyRowCounts(Map<String, Long> expected, Map<String, Long> counted) {
        Catalog.countMismatch(expected, counted).ifPresent(m -> {
            throw ManageDbException.failed("restore check failed: table " + m.table() + " has " + m.actual()
                    + " rows, the backup recorded " + m.expected() + "; the target is unchanged", null);
        });
        return expected.size();
    }
}
