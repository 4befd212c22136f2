package io.managedb.backup;

import io.managedb.pg.DumpScope;
import io.managedb.files.Checksums;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.cli.Context;
import io.managedb.safety.Prompter;
import io.managedb.testing.Datasets;
import io.managedb.testing.Jvm;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BackupCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    @BeforeAll
    static void load() {
        Datasets.load(pg, "test", "northwind");
    }

    private static Map<String, String> envWithDir(Path dir) {
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_BACKUP_DIR", dir.toString());
        return env;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void defaultBackupIsCustomFormatPrivateChecksummedAndManifested() throws Exception {
        Path dir = pg.dir().resolve("b1/nested");
        Run run = pg.run(envWithDir(dir), "backup", "-e", "test", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"path\"", "\"sizeBytes\"", "\"sha256\"", "\"durationSeconds\"");
        List<String> names = names(dir);
        assertThat(names).hasSize(2);
        String file = names.get(0);
        assertThat(file).matches("test_" + pg.database("test") + "_\\d{8}T\\d{6}Z\\.dump");
        assertThat(names.get(1)).isEqualTo(file + ".json");
        Path backup = dir.resolve(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Manifests.of(backup))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Manifest m = Manifests.read(backup);
        assertThat(m.environment()).isEqualTo("test");
        assertThat(m.database()).isEqualTo(pg.database("test"));
        assertThat(m.format()).isEqualTo("custom");
        assertThat(m.sha256()).isEqualTo(Checksums.of(backup));
        assertThat(m.sizeBytes()).isEqualTo(Files.size(backup));
        assertThat(m.serverVersion()).startsWith("15");
        assertThat(m.pgDumpVersion()).isNotBlank();
        assertThat(m.rowCounts()).containsEntry("public.orders", 830L);
        assertThat(m.finishedAt()).isAfterOrEqualTo(m.startedAt());
        assertThat(run.err()).as("no progress when not on a terminal").isEmpty();
    }

    private static Path backupFrom(Path workDir, Map<String, String> env) throws Exception {
        Run run = pg.run(new Context(env, workDir, Prompter.NONE, false), "backup", "-e", "test", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return Path.of(new ObjectMapper().readTree(run.out()).get("path").asText());
    }

    @Test
    void withNoEnvFileTheDefaultBackupDirectoryIsTheUsersDataDirectory() throws Exception {
        Path root = Files.createDirectories(pg.dir().resolve("xdg-case"));
        Path cwd = Files.createDirectories(root.resolve("cwd"));
        Path home = Files.createDirectories(root.resolve("home"));
        Map<String, String> env = pg.env();
        env.put("HOME", home.toString());
        Path backup = backupFrom(cwd, env);
        assertThat(backup.getParent()).isEqualTo(home.resolve(".local/share/manage-db/backups"));
        assertThat(Manifests.of(backup)).exists();
        assertThat(names(cwd)).as("nothing created in the working directory").isEmpty();

        env.put("XDG_DATA_HOME", root.resolve("data").toString());
        assertThat(backupFrom(cwd, env).getParent()).isEqualTo(root.resolve("data/manage-db/backups"));
        env.put("XDG_DATA_HOME", "relative/data");
        assertThat(backupFrom(cwd, env).getParent()).as("a relative XDG_DATA_HOME is ignored, as the spec says")
                .isEqualTo(home.resolve(".local/share/manage-db/backups"));
        assertThat(names(cwd)).isEmpty();

        env.put("MANAGE_DB_BACKUP_DIR", "mine");
        assertThat(backupFrom(cwd, env).getParent()).as("an explicit relative directory: the working directory's")
                .isEqualTo(cwd.resolve("mine"));
        env.remove("MANAGE_DB_BACKUP_DIR");

        Path project = Files.createDirectories(root.resolve("project"));
        Files.writeString(project.resolve(".env"), "MANAGE_DB_ENV=test\n");
        assertThat(backupFrom(project, env).getParent()).as("next to a .env file, backups/ beside it")
                .isEqualTo(project.resolve("backups"));
    }

    /** Progress as the CLI would show it: every status with the time it came. */
    private static final class RecordingProgress implements io.managedb.core.Progress {
        final List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Long> times = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void update(String status) {
            statuses.add(status);
            times.add(System.nanoTime());
        }

        long distinctWritten(String marker) {
            return statuses.stream().filter(st -> st.startsWith(marker)).map(st -> st.replaceAll(".*, ", ""))
                    .distinct().count();
        }

        long longestGapMillis() {
            long max = 0;
            for (int i = 1; i < times.size(); i++) {
                max = Math.max(max, (times.get(i) - times.get(i - 1)) / 1_000_000);
            }
            return max;
        }
    }

    @Test
    void progressReportsTheBytesWhileOneLargeTableIsDumped() throws Exception {
        pg.addEnvironment("progress");
        // about 15 MB of hex text in one table, compressed at level 9: pg_dump spends about a second inside it
        pg.sql("progress", "CREATE TABLE big AS SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text)"
                + " AS t FROM generate_series(1, 150000) g");
        io.managedb.config.Environment env = io.managedb.config.ConfigLoader.load(pg.env(), pg.dir(), null)
                .environment("progress");
        BackupService service = new BackupService(new io.managedb.pg.PgTools(null, pg.env(),
                new io.managedb.pg.ProcessRunner()), pg.dir().resolve("progress"), "test");
        for (BackupFormat format : new BackupFormat[] {BackupFormat.CUSTOM, BackupFormat.DIRECTORY}) {
            RecordingProgress progress = new RecordingProgress();
            long started = System.nanoTime();
            service.backup(env, new BackupOptions(null, format, 1, DumpScope.FULL, format.id(), 9, false,
                    null), progress);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(progress.distinctWritten("tables 1/1"))
                    .as(format + ": the byte count moves inside the one table (" + millis + " ms): " + progress.statuses)
                    .isGreaterThanOrEqualTo(Math.min(3, millis / 400));
            assertThat(progress.longestGapMillis()).as(format + ": at least one update a second")
                    .isLessThan(1000);
        }
    }

    @Test
    void backupsInTheSameSecondDoNotOverwriteEachOther() throws Exception {
        Path dir = pg.dir().resolve("b2");
        java.time.Clock sameSecond = java.time.Clock.fixed(java.time.Instant.parse("2026-11-24T02:00:00.250Z"),
                java.time.ZoneOffset.UTC);
        io.managedb.config.Environment test = io.managedb.config.ConfigLoader.load(pg.env(), pg.dir(), null)
                .environment("test");
        BackupService backups = new BackupService(new io.managedb.pg.PgTools(null, pg.env(),
                new io.managedb.pg.ProcessRunner()), dir, "test", sameSecond);
        BackupOptions same = new BackupOptions(null, BackupFormat.CUSTOM, 1, DumpScope.FULL, "same", null,
                false, java.time.Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            backups.backup(test, same, io.managedb.core.Progress.NONE);
        }
        String base = "test_" + pg.database("test") + "_20261124T020000Z_same";
        assertThat(names(dir)).containsExactlyInAnyOrder(base + ".dump", base + ".dump.json", base + "-2.dump",
                base + "-2.dump.json", base + "-3.dump", base + "-3.dump.json");
        assertThat(Manifests.read(dir.resolve(base + "-3.dump")).sha256())
                .isEqualTo(Checksums.of(dir.resolve(base + "-3.dump")));
    }

    @Test
    void formatsScopesLabelCompressionAndOutput() throws Exception {
        Path dir = pg.dir().resolve("b3");
        Map<String, String> env = envWithDir(dir);
        assertThat(pg.run(env, "backup", "-e", "test", "--format", "plain", "--label", "p").exitCode()).isZero();
        assertThat(pg.run(env, "backup", "-e", "test", "--format", "plain", "--compress", "0").exitCode()).isZero();
        assertThat(pg.run(env, "backup", "-e", "test", "--format", "directory", "--jobs", "2").exitCode()).isZero();
        assertThat(pg.run(env, "backup", "-e", "test", "--schema-only", "--label", "s").exitCode()).isZero();
        assertThat(pg.run(env, "backup", "-e", "test", "--data-only", "--label", "d").exitCode()).isZero();
        List<String> names = names(dir);
        assertThat(names).anyMatch(n -> n.endsWith("_p.sql.gz")).anyMatch(n -> n.matches(".*Z\\.sql"))
                .anyMatch(n -> n.endsWith(".dir")).anyMatch(n -> n.endsWith("_s.dump")).anyMatch(n -> n.endsWith("_d.dump"));
        Path schemaOnly = dir.resolve(names.stream().filter(n -> n.endsWith("_s.dump")).findFirst().orElseThrow());
        assertThat(Manifests.read(schemaOnly).scope()).isEqualTo("schema-only");
        assertThat(Manifests.read(schemaOnly).rowCounts()).isNull();
        Path directory = dir.resolve(names.stream().filter(n -> n.endsWith(".dir")).findFirst().orElseThrow());
        assertThat(Manifests.read(directory).sha256()).isEqualTo(Checksums.of(directory));
        try (Stream<Path> files = Files.walk(directory)) {
            files.forEach(p -> assertThat(PosixFilePermissions.toString(uncheckedPerms(p)))
                    .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        }
        Path out = pg.dir().resolve("explicit/my.dump");
        Run explicit = pg.run(env, "backup", "-e", "test", "--output", out.toString());
        assertThat(explicit.exitCode()).as(explicit.toString()).isZero();
        assertThat(out).exists();
        assertThat(Manifests.of(out)).exists();
        Run again = pg.run(env, "backup", "-e", "test", "--output", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> uncheckedPerms(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badOptionsAreUsageErrorsAndWriteNothing() throws Exception {
        Path dir = pg.dir().resolve("b4");
        Map<String, String> env = envWithDir(dir);
        assertThat(pg.run(env, "backup", "-e", "test", "--label", "bad label!").exitCode()).isEqualTo(2);
        assertThat(pg.run(env, "backup", "-e", "test", "--jobs", "2").exitCode()).isEqualTo(2);
        assertThat(pg.run(env, "backup", "-e", "test", "--schema-only", "--data-only").exitCode()).isEqualTo(2);
        assertThat(pg.run(env, "backup", "-e", "test", "--format", "zip").exitCode()).isEqualTo(2);
        assertThat(dir).doesNotExist();
    }

    @Test
    void pgDumpOlderThanTheServerIsRefusedBeforeAnyFileIsCreated() throws Exception {
        Path bin = Files.createDirectories(pg.dir().resolve("oldbin"));
        for (String tool : new String[] {"pg_dump", "pg_restore", "psql"}) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 11.22'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path dir = pg.dir().resolve("b5");
        Map<String, String> env = envWithDir(dir);
        env.put("MANAGE_DB_PG_BIN", bin.toString());
        Run run = pg.run(env, "backup", "-e", "test");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err().strip()).startsWith("manage-db: error: pg_dump 11.22").contains("older than the server")
                .contains("MANAGE_DB_PG_BIN").doesNotContain("\n");
        assertThat(dir).doesNotExist();
        env.put("MANAGE_DB_PG_BIN", pg.dir().resolve("nothing-here").toString());
        Run missing = pg.run(env, "backup", "-e", "test");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("MANAGE_DB_PG_BIN").contains("has no executable pg_dump");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aSecondConcurrentBackupExitsSixAndTheFirstCompletes() throws Exception {
        Path dir = pg.dir().resolve("b6");
        Map<String, String> env = envWithDir(dir);
        try (Connection blocker = pg.connect("test"); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> pg.run(env, "backup", "-e", "test"));
            Jvm.await("the first backup to start writing", 30_000, () -> partialExists(dir));
            Run second = pg.run(env, "backup", "-e", "test");
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(6);
            assertThat(second.err().strip()).contains("is busy: locked by manage-db backup (pid ");
            Run waited = pg.run(env, "backup", "-e", "test", "--wait", "1");
            assertThat(waited.exitCode()).isEqualTo(6);
            blocker.rollback();
            assertThat(first.get().exitCode()).as(first.get().toString()).isZero();
        }
        assertThat(names(dir).stream().filter(n -> n.endsWith(".dump"))).hasSize(1);
    }

    @Test
    void aKilledBackupLeavesNothingUnderAFinalNameAndTheNextRunCleansUp() throws Exception {
        Path dir = pg.dir().resolve("b7");
        Map<String, String> env = envWithDir(dir);
        assertThat(pg.run(env, "backup", "-e", "test", "--label", "earlier").exitCode()).isZero();
        List<String> before = names(dir);
        try (Connection blocker = pg.connect("test"); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Process p = Jvm.start(pg.dir(), env, "backup", "-e", "test");
            Jvm.await("the backup to start writing", 60_000, () -> partialExists(dir));
            Jvm.killHard(p);
            blocker.rollback();
        }
        List<String> after = names(dir);
        assertThat(after).containsAll(before);
        assertThat(after.stream().filter(n -> !before.contains(n))).allMatch(n -> n.endsWith(".partial"));
        assertThat(Manifests.read(dir.resolve(before.get(0))).sha256()).isEqualTo(Checksums.of(dir.resolve(before.get(0))));

        Run next = pg.run(env, "backup", "-e", "test");
        assertThat(next.exitCode()).isZero();
        assertThat(names(dir)).noneMatch(n -> n.endsWith(".partial")).hasSize(4);
    }

    @Test
    void aTerminatedBackupRemovesItsPartialFile() throws Exception {
        Path dir = pg.dir().resolve("b8");
        Map<String, String> env = envWithDir(dir);
        try (Connection blocker = pg.connect("test"); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Process p = Jvm.start(pg.dir(), env, "backup", "-e", "test");
            Jvm.await("the backup's pg_dump to start writing", 60_000, () -> partialExists(dir)
                    && p.descendants().anyMatch(h -> h.info().command().orElse("").endsWith("pg_dump")));
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            assertThat(p.waitFor()).isEqualTo(143);
            blocker.rollback();
            assertThat(children).as("pg_dump and every other child").isNotEmpty()
                    .allSatisfy(c -> assertThat(c.isAlive()).as(c.info().toString()).isFalse());
        }
        assertThat(names(dir)).isEmpty();
    }

    private static boolean partialExists(Path dir) {
        try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".partial"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
