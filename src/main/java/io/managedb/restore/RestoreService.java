package io.managedb.restore;

import io.managedb.ExitCode;
import io.managedb.ManageDbException;
import io.managedb.Progress;
import io.managedb.backup.Archive;
import io.managedb.backup.ArchiveRestorer;
import io.managedb.backup.BackupCatalog;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupResult;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.TargetLock;
import io.managedb.pg.PgTools;
import io.managedb.safety.Guard;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Restores a backup into an environment's database, atomically: check the archive (size, readable) → confirm →
 * lock → safety backup of the target → restore into a scratch database while its checksum is verified → verify
 * row counts → swap it in. Anything failing before the swap leaves the target exactly as it was; afterwards the target equals the backup (objects
 * only in the old target are gone) and keeps its environment stamp.
 */
public final class RestoreService {
    private final PgTools tools;
    private final BackupService backups;
    private final BackupCatalog catalog;

    public RestoreService(PgTools tools, BackupService backups, BackupCatalog catalog) {
        this.tools = tools;
        this.backups = backups;
        this.catalog = catalog;
    }

    public RestoreResult restore(Environment env, RestoreRequest request, Guard guard, Progress progress) {
        Instant started = Instant.now();
        Archive archive = Archive.open(resolve(env, request));
        archive.checkSize();
        archive.checkReadable(tools);
        requireScope(archive, request.schemaOnly());
        Target target = env.target();
        guard.confirm(env, "restore " + archive.path().getFileName() + " into database " + target.database());
        try (TargetLock lock = TargetLock.forWriting(env, "restore", request.lockWait());
             DatabaseReplacer replacer = DatabaseReplacer.prepare(target, tools.runner())) {
            BackupResult safety = request.safetyBackup() && replacer.targetExists()
                    ? backups.backupLocked(env, BackupOptions.safety("pre-restore"), progress) : null;
            restoreChecked(archive, replacer, request, progress);
            Integer verified = verifyRowCounts(archive, replacer.scratch());
            int terminated = replacer.swap();
            return new RestoreResult(archive.path().toString(), env.name(), target.database(),
                    safety == null ? null : safety.path(), verified, terminated,
                    Duration.between(started, Instant.now()).toMillis() / 1000.0);
        }
    }

    /**
     * Restores into the scratch database while the archive's SHA-256 is checked against its manifest on another
     * thread: both must succeed before anything is swapped in, so a corrupt archive still changes nothing.
     */
    private void restoreChecked(Archive archive, DatabaseReplacer replacer, RestoreRequest request,
                                Progress progress) {
        CompletableFuture<Void> checksum = CompletableFuture.runAsync(archive::checkChecksum);
        try {
            new ArchiveRestorer(tools).restore(archive, replacer.scratch(), Math.max(1, request.jobs()),
                    request.keepOwnership(), progress);
        } catch (RuntimeException e) {
            awaitChecksum(checksum);
            throw e;
        }
        awaitChecksum(checksum);
    }

    private static void awaitChecksum(CompletableFuture<Void> checksum) {
        try {
            checksum.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private Path resolve(Environment env, RestoreRequest request) {
        if (request.archive() != null) {
            return request.archive();
        }
        Environment from = request.from() != null ? request.from() : env;
        return catalog.requireLatest(from.name(), from.target().database());
    }

    /**
     * A data-only backup cannot replace a database; a schema-only one empties every table, so it takes
     * {@code --schema-only} to say that the data should go (exit 2 otherwise, before anything changes).
     */
    private static void requireScope(Archive archive, boolean schemaOnly) {
        String scope = archive.manifest() == null ? null : archive.manifest().scope();
        String name = String.valueOf(archive.path().getFileName());
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

    /** Row counts of the restored scratch database against the manifest's; null when there is nothing to compare. */
    private static Integer verifyRowCounts(Archive archive, Target restored) {
        Map<String, Long> expected = archive.manifest() == null ? null : archive.manifest().rowCounts();
        if (expected == null) {
            return null;
        }
        try (Connection c = Connections.open(restored)) {
            Catalog.countMismatch(expected, Catalog.rowCounts(c)).ifPresent(m -> {
                throw ManageDbException.failed("restore check failed: table " + m.table() + " has " + m.actual()
                        + " rows, the backup recorded " + m.expected() + "; the target is unchanged", null);
            });
            return expected.size();
        } catch (SQLException e) {
            throw Connections.translate(restored, e);
        }
    }
}
