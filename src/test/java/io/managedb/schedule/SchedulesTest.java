package io.managedb.schedule;

import io.managedb.ManageDb;
import io.managedb.cli.Context;
import io.managedb.testing.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** schedule print: each format valid (systemd-analyze verify, a YAML parser), absolute paths, checked words. */
class SchedulesTest {
    private static Path dir;
    private static Path envFile;

    @BeforeAll
    static void envFile() throws IOException {
        dir = Files.createTempDirectory("manage-db-schedule-");
        envFile = Files.writeString(dir.resolve(".env"), "PROD_DATABASE_URL=postgresql://app:hunter2@db1/shop\n"
                + "STAGING_DATABASE_URL=postgresql://app:hunter2@db2/shop\n"
                + "REPORTING_DATABASE_URL=postgresql://app:hunter2@db3/reports\n");
    }

    @AfterAll
    static void clean() {
        io.managedb.files.Trees.deleteRecursively(dir);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ManageDb.run(Context.of(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()), dir),
                new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Schedules.Request request(List<String> envs) {
        return new Schedules.Request(List.of("/usr/bin/java", "-jar", "/opt/manage-db/manage-db.jar"), envFile,
                LocalTime.of(2, 30), envs, List.of("--keep-daily", "7", "--keep-weekly", "4"), "Europe/Berlin", false,
                "backup", "registry.example/manage-db:1");
    }

    @Test
    void cronIsOneJobLineWithTheEnvFileBackupThenPrune() throws IOException {
        Run run = run("schedule", "print", "--cron", "--at", "02:00", "--env", "prod,staging,reporting");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> jobs = run.out().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(jobs).hasSize(1);
        String job = jobs.get(0);
        assertThat(job).startsWith("0 2 * * * export MANAGE_DB_ENV_FILE=" + envFile.toRealPath() + "; ")
                .doesNotContain("%").doesNotContain("hunter2");
        String launcher = job.split(" ")[7];
        assertThat(Path.of(launcher)).isAbsolute().exists();
        assertThat(job.indexOf(" backup --env prod,staging,reporting -q;"))
                .isLessThan(job.indexOf(" backup prune --env prod,staging,reporting --keep-daily 7 --keep-weekly 4 -q"));
        assertThat(run("schedule", "print", "--cron").out()).contains(" backup --all -q;");
    }

    @Test
    void systemdUnitsPassSystemdAnalyzeVerify() throws Exception {
        Map<String, String> files = Schedules.systemd(request(List.of("prod", "staging", "reporting")));
        assertThat(files.get("manage-db-backup.timer")).contains("Persistent=true", "RandomizedDelaySec=",
                "OnCalendar=*-*-* 02:30:00");
        assertThat(files.get("manage-db-backup.service")).contains("Type=oneshot",
                "Environment=MANAGE_DB_ENV_FILE=" + envFile, "b=$$?");
        Run printed = run("schedule", "print", "--systemd");
        assertThat(printed.exitCode()).as(printed.toString()).isZero();
        assertThat(printed.out()).contains("# file: /etc/systemd/system/manage-db-backup.service",
                "# file: /etc/systemd/system/manage-db-backup.timer");
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v systemd-analyze").start().waitFor() == 0,
                "systemd-analyze is not installed");
        Path units = Files.createDirectories(dir.resolve("units"));
        for (var f : files.entrySet()) {
            Files.writeString(units.resolve(f.getKey()), f.getValue());
        }
        Process p = new ProcessBuilder("systemd-analyze", "verify", units.resolve("manage-db-backup.service").toString(),
                units.resolve("manage-db-backup.timer").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as("no warning about our units").doesNotContain("manage-db-backup");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesCronJobParsesAndTakesItsSettingsFromASecret() {
        Run run = run("schedule", "print", "--k8s", "--time-zone", "Europe/Berlin", "--at", "3:15");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).doesNotContain("hunter2").doesNotContain("DATABASE_URL=");
        Map<String, Object> job = new Yaml().load(run.out());
        assertThat(job.get("kind")).isEqualTo("CronJob");
        assertThat(job.get("apiVersion")).isEqualTo("batch/v1");
        Map<String, Object> spec = (Map<String, Object>) job.get("spec");
        assertThat(spec.get("schedule")).isEqualTo("15 3 * * *");
        assertThat(spec.get("timeZone")).isEqualTo("Europe/Berlin");
        assertThat(spec.get("concurrencyPolicy")).isEqualTo("Forbid");
        assertThat(spec.get("startingDeadlineSeconds")).isInstanceOf(Integer.class);
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) spec.get("jobTemplate")).get("spec")).get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat((List<Map<String, Object>>) container.get("envFrom"))
                .containsExactly(Map.of("secretRef", Map.of("name", "manage-db-env")));
        List<String> command = (List<String>) container.get("command");
        assertThat(command).hasSize(3).startsWith("/bin/sh", "-c");
        assertThat(command.get(2)).contains(" backup --all -q; b=$?; ", " backup prune --all --keep-daily 7");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsPrinted() throws IOException {
        assertThat(run("schedule", "print", "--cron", "--prune", "--keep-daily 7; rm -rf /").exitCode()).isEqualTo(2);
        assertThat(run("schedule", "print", "--cron", "--prune", "--keep-last 0").exitCode()).isEqualTo(2);
        assertThat(run("schedule", "print", "--cron", "--at", "25:00").exitCode()).isEqualTo(2);
        assertThat(run("schedule", "print", "--cron", "--systemd").exitCode()).isEqualTo(2);
        assertThat(run("schedule", "print").exitCode()).isEqualTo(2);
        assertThat(run("schedule", "print", "--cron", "-e", "nosuch").exitCode()).isEqualTo(3);
        Path spaced = Files.createDirectories(dir.resolve("with space"));
        Files.writeString(spaced.resolve(".env"), "PROD_DATABASE_URL=postgresql://app@db1/shop\n");
        Run run = run("--env-file", spaced.resolve(".env").toString(), "schedule", "print", "--cron");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
    }
}
