package io.managedb.operation;

import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.backup.BackupCatalog;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupService;
import io.managedb.config.Config;
import io.managedb.config.ConfigLoader;
import io.managedb.config.Environment;
import io.managedb.copy.CopyOptions;
import io.managedb.copy.CopyService;
import io.managedb.maintenance.InitService;
import io.managedb.maintenance.ResetService;
import io.managedb.maintenance.TriggerInstaller;
import io.managedb.migrate.MigrateService;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessRunner;
import io.managedb.restore.RestoreRequest;
import io.managedb.restore.RestoreService;
import io.managedb.safety.Guard;
import io.managedb.testing.PgEnvironment;
import io.managedb.triggers.TriggerService;
import io.managedb.triggers.TriggerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every destructive operation runs the one pipeline's steps, in its order. */
class GuardedOperationTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final List<String> recorded = new ArrayList<>();
    private static ProcessRunner runner;
    private static BackupService backups;
    private static GuardedOperation pipeline;
    private static Config config;

    @BeforeAll
    static void services() throws Exception {
        runner = new ProcessRunner();
        Map<String, String> env = pg.env();
        config = ConfigLoader.load(env, pg.dir(), null);
        PgTools tools = new PgTools(null, env, runner);
        backups = new BackupService(tools, pg.dir().resolve("backups"), "test");
        pipeline = new GuardedOperation(backups, (operation, step) -> recorded.add(operation + ": " + step));
        pg.sql("test", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 10) g");
    }

    @AfterAll
    static void close() {
        runner.close();
    }

    private static List<String> steps(String operation, Runnable run) {
        recorded.clear();
        run.run();
        return recorded.stream().filter(s -> s.startsWith(operation + ": "))
                .map(s -> s.substring(operation.length() + 2)).toList();
    }

    private static Environment env(String name) {
        return config.environment(name);
    }

    @Test
    void everyDestructiveOperationRunsTheStepsInOrder() throws Exception {
        PgTools tools = new PgTools(null, pg.env(), runner);
        Guard yes = Guard.yes();
        Path migrations = Files.createDirectories(pg.dir().resolve("migrations"));
        Files.writeString(migrations.resolve("V1__a.sql"), "CREATE TABLE a (x int);\n");
        Files.writeString(migrations.resolve("U1__a.sql"), "DROP TABLE a;\n");
        MigrateService migrate = new MigrateService(backups, migrations).with(pipeline);
        InitService init = new InitService(migrate, pg.dir().resolve("seed"), TriggerInstaller.NONE, pipeline);
        List<String> all = GuardedOperation.STEPS;

        assertThat(steps("init", () -> init.init(env("dev"), false, Duration.ZERO, Progress.NONE))).isEqualTo(all);
        assertThat(steps("migrate rollback", () -> migrate.rollback(env("dev"), 1, null, false, false, Duration.ZERO,
                yes, Progress.NONE))).isEqualTo(all);
        assertThat(steps("migrate repair", () -> migrate.repair(env("dev"), Duration.ZERO, yes))).isEqualTo(all);
        String backup = backups.backup(env("test"), BackupOptions.defaults(), Progress.NONE).path();
        assertThat(steps("restore", () -> new RestoreService(tools, new BackupCatalog(pg.dir()), pipeline).restore(
                env("dev"), new RestoreRequest(io.managedb.backup.StoredBackup.of(Path.of(backup)), null, 1, true, false, Duration.ZERO, false), yes,
                Progress.NONE))).isEqualTo(all);
        assertThat(steps("copy", () -> new CopyService(tools, pipeline).copy(env("test"), env("dev"),
                CopyOptions.defaults(), yes, Progress.NONE))).isEqualTo(all);
        assertThat(steps("triggers remove", () -> new TriggerService(TriggerSettings.of(config), pipeline)
                .remove(env("dev"), null, false, Duration.ZERO, yes))).isEqualTo(all);
        assertThat(steps("reset", () -> new ResetService(tools, init, pipeline).reset(env("dev"), false, false, true,
                Duration.ZERO, yes, Progress.NONE))).isEqualTo(all);
    }

    @Test
    void aRefusedCheckStopsBeforeEverythingElseAndAFailedWorkNamesItsSafetyBackup() {
        Destructive<String, String> failing = Destructive.<String, String>named("trial", () -> "plan")
                .confirming(plan -> "try").safetyBackup(plan -> "pre-trial")
                .work((plan, lock, backup) -> {
                    throw ManageDbException.failed("the work broke", null);
                });
        recorded.clear();
        assertThatThrownBy(() -> pipeline.run(env("test"), failing, Guard.yes(), Duration.ZERO, Progress.NONE))
                .isInstanceOf(ManageDbException.class).hasMessageContaining("the work broke")
                .hasMessageContaining("safety backup").hasMessageContaining("pre-trial")
                .satisfies(e -> assertThat(((ManageDbException) e).details()).containsKey("safetyBackup"));
        assertThat(recorded).last().isEqualTo("trial: work");

        recorded.clear();
        assertThatThrownBy(() -> pipeline.run(env("prod"), failing, Guard.yes(), Duration.ZERO, Progress.NONE))
                .isInstanceOf(ManageDbException.class).hasMessageContaining("protected");
        assertThat(recorded).containsExactly("trial: target", "trial: check", "trial: confirm");
    }
}
