package io.managedb.doctor;

import io.managedb.pg.DumpScope;
import io.managedb.files.Trees;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.backup.Archive;
import io.managedb.backup.ArchiveRestorer;
import io.managedb.backup.BackupFormat;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupResult;
import io.managedb.backup.BackupService;
import io.managedb.db.ScratchDatabase;
import io.managedb.backup.VerifyResult;
import io.managedb.backup.VerifyService;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.ExportedSnapshot;
import io.managedb.pg.ChildEnvironment;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The checks of {@code doctor} that move data, none of which changes the environment: a backup into a private
 * temporary directory (never the backup directory, never a safety backup), its verification, a restore drill and a
 * copy, each into a scratch database of the environment's server that is always dropped (also on SIGTERM).
 */
final class DataDrills {
    static final String PURPOSE = "doctor";

    private final PgTools tools;
    private final BackupService backups;

    DataDrills(PgTools tools, BackupService backups) {
        this.tools = tools;
        this.backups = backups;
    }

    /** A 0700 temporary directory, removed if the JVM is stopped; the caller removes it with {@link #remove}. */
    Path tempDirectory() throws IOException {
        return tools.temporaryDirectory("manage-db-doctor-");
    }

    void remove(Path dir) {
        Trees.deleteRecursively(dir);
        tools.runner().release(dir);
    }

    /** A full custom-format backup into {@code dir}, holding the target lock as every backup does. */
    BackupResult backup(Environment env, Path dir) {
        Path output = dir.resolve(BackupService.prefix(env.name(), env.target().database()) + "doctor.dump");
        return backups.backup(env, new BackupOptions(output, BackupFormat.CUSTOM, 1, DumpScope.FULL, null,
                null, false, Duration.ZERO), Progress.NONE);
    }

    /** Size and SHA-256 against the manifest, and every data block read by the local pg_restore. */
    String verify(Path backup) {
        VerifyResult r = new VerifyService(tools).verify(Archive.open(backup, backups.keys()), false, null, Progress.NONE);
        r.checks().stream().filter(c -> !c.ok()).findFirst().ifPresent(c -> {
            throw new ManageDbException(ExitCode.CHECK_FAILED, c.name() + ": " + c.detail());
        });
        return "checksum matches the manifest, every data block readable";
    }

    /** Restores the backup into a scratch database and compares its row counts with the manifest's. */
    String restoreDrill(Environment env, Path backup) {
        Archive archive = Archive.open(backup, backups.keys());
        Map<String, Long> expected = archive.manifest().rowCounts();
        return inScratch(env.target(), scratch -> {
            new ArchiveRestorer(tools).restore(archive, scratch, 1, false, Progress.NONE);
            compare(scratch, expected, "the backup");
            return "restored into a scratch database, row counts of " + expected.size() + " tables match, dropped";
        });
    }

    /** Streams pg_dump into pg_restore, into a scratch database of the same server, and compares row counts. */
    String copy(Environment env) {
        Target source = env.target();
        return inScratch(source, scratch -> {
            try (Connection src = Connections.open(source); ExportedSnapshot snapshot = ExportedSnapshot.begin(src, true);
                 ChildEnvironment srcEnv = tools.environment(source);
                 ChildEnvironment dstEnv = tools.environment(scratch)) {
                tools.runner().pipe(
                        ProcessSpec.of(tools.command(PgTool.PG_DUMP, List.of("--snapshot=" + snapshot.id(),
                                "--format=c", "--compress=0")), srcEnv.variables()),
                        ProcessSpec.of(tools.command(PgTool.PG_RESTORE, List.of("--exit-on-error", "--no-owner",
                                "--no-acl", "--dbname=" + scratch.database())), dstEnv.variables())
                                .stdoutTo(OutputStream.nullOutputStream()));
                Map<String, Long> expected = snapshot.rowCounts();
                compare(scratch, expected, "the source");
                return "copied into a scratch database, row counts of " + expected.size() + " tables match, dropped";
            } catch (SQLException e) {
                throw Connections.translate(source, e);
            }
        });
    }

    private static void compare(Target scratch, Map<String, Long> expected, String what) {
        try (Connection c = Connections.open(scratch)) {
            Map<String, Long> actual = Catalog.rowCounts(c);
            Catalog.countMismatch(expected, actual).ifPresent(m -> {
                throw new ManageDbException(ExitCode.CHECK_FAILED, "table " + m.table() + " has " + m.actual()
                        + " rows in the scratch database, " + what + " had " + m.expected());
            });
        } catch (SQLException e) {
            throw Connections.translate(scratch, e);
        }
    }

    private <T> T inScratch(Target server, Function<Target, T> work) {
        return ScratchDatabase.with(server, PURPOSE, true, tools.runner(), work);
    }
}
