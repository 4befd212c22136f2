package io.managedb;

import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the built fat jar with {@code java -jar}, as operators and CI do. */
class JarIT {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    static Run jar(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("manage-db.jar", "target/manage-db.jar")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(pg.dir().toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // process ended
            }
        });
        t.start();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        t.join();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionAndHelp() throws Exception {
        Run version = jar(pg.env(), "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("manage-db ");
        Run help = jar(pg.env(), "--help");
        assertThat(help.out()).contains("Exit codes:");
    }

    @Test
    void checkAgainstARealServer() throws Exception {
        Run run = jar(pg.env(), "check", "-e", "test", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"reachable\" : true");
    }

    @Test
    void migrationsAndABackupRoundTripThroughTheFatJar() throws Exception {
        java.nio.file.Path migrations = java.nio.file.Files.createDirectories(pg.dir().resolve("db/migration"));
        java.nio.file.Files.writeString(migrations.resolve("V1__t.sql"), "CREATE TABLE t (x int);\nINSERT INTO t VALUES (42);\n");
        Map<String, String> env = pg.env();
        Run apply = jar(env, "migrate", "apply", "-e", "test");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("applied V1__t.sql");
        Run backup = jar(env, "backup", "-e", "test", "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        pg.sql("test", "DELETE FROM t");
        Run restore = jar(env, "restore", "latest", "-e", "test", "-y");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(pg.query("test", "SELECT x FROM t")).isEqualTo("42");
    }

    @Test
    void aMaskedSubsetCopyReadsItsRulesFileAndFakesValuesInTheJar() throws Exception {
        pg.addEnvironment("masksrc");
        pg.addEnvironment("maskdst");
        pg.sql("masksrc", "CREATE TABLE person (id int PRIMARY KEY, email text);"
                + " CREATE TABLE visit (id int PRIMARY KEY, person_ref int);"
                + " INSERT INTO person SELECT g, 'p' || g || '@real.org' FROM generate_series(1, 50) g;"
                + " INSERT INTO visit SELECT g, g FROM generate_series(1, 50) g");
        java.nio.file.Path rules = pg.dir().resolve("masking.yml");
        java.nio.file.Files.writeString(rules, "public.person:\n  email: email\nvirtual_foreign_keys:\n"
                + "  - from: public.visit (person_ref)\n    to: public.person\n");
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_MASKING_FILE", rules.toString());
        env.put("MANAGE_DB_MASKING_SECRET", "jar secret");
        Run run = jar(env, "copy", "--from", "masksrc", "--to", "maskdst", "-y", "--no-safety-backup", "--masked",
                "--subset", "public.visit: id <= 5");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(pg.query("maskdst", "SELECT count(*) || ' ' || count(*) FILTER (WHERE email LIKE '%@example.com')"
                + " FROM person")).isEqualTo("5 5");
    }

    @Test
    void badInputIsOneLineWithoutAStackTrace() throws Exception {
        Map<String, String> env = pg.env();
        env.put("DEV_DATABASE_URL", "postgresql://u:hunter2@127.0.0.1:1/x");
        Run run = jar(env, "check");
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).doesNotContain("Exception", "hunter2");
        assertThat(run.out()).doesNotContain("hunter2");
    }

    /** Runs {@code bin/manage-db}, the launcher, with this environment. */
    static Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of("bin", "manage-db").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(pg.dir().toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherGivesAnUnmaskedCopyTheQuickJitOnlyAndAMaskedCopyOrARestoreTheOptimisingOneToo() throws Exception {
        Map<String, String> env = pg.env();
        env.put("JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        String quickOnly = "-XX:TieredStopAtLevel=1";
        assertThat(launcher(env, "copy", "--from", "nowhere", "--to", "elsewhere").out()).contains(quickOnly);
        assertThat(launcher(env, "copy", "--from", "nowhere", "--to", "elsewhere", "--masked").out())
                .contains("-XX:+UseSerialGC").doesNotContain(quickOnly);
        assertThat(launcher(env, "restore", "latest", "-e", "nowhere").out())
                .contains("-XX:+UseSerialGC").doesNotContain(quickOnly);
    }

    @Test
    void theLauncherStartsTheJvmWithTheJarsClassDataArchiveOnlyWhereItBelongs() throws Exception {
        Path jar = Path.of("target", "manage-db.jar").toAbsolutePath();
        Path jsa = Path.of("target", "manage-db.jsa").toAbsolutePath();
        assertThat(jsa).as("the build's class-data archive").exists();
        assertThat(java.nio.file.Files.readString(Path.of(jsa + ".for")))
                .isEqualTo(System.getProperty("java.home") + "\n" + jar + "\n" + System.getProperty("java.runtime.version")
                        + "\n");
        Map<String, String> env = pg.env();
        env.put("JAVA_OPTS", "-Xlog:class+load=info:stderr");
        Run used = launcher(env, "env", "list");
        assertThat(used.exitCode()).as(used.toString()).isZero();
        assertThat(used.err()).contains("picocli.CommandLine source: shared objects file");
        assertThat(used.out()).contains("test");

        // another jar (moved, or copied with its archive): the archive is not passed, nothing is said about it
        Path elsewhere = java.nio.file.Files.createDirectories(pg.dir().resolve("moved jar"));
        java.nio.file.Files.copy(jar, elsewhere.resolve("manage-db.jar"));
        java.nio.file.Files.copy(jsa, elsewhere.resolve("manage-db.jsa"));
        java.nio.file.Files.copy(Path.of(jsa + ".for"), elsewhere.resolve("manage-db.jsa.for"));
        env.put("MANAGE_DB_JAR", elsewhere.resolve("manage-db.jar").toString());
        env.remove("JAVA_OPTS");
        Run moved = launcher(env, "env", "list");
        assertThat(moved.exitCode()).as(moved.toString()).isZero();
        assertThat(moved.err()).isEmpty();
        assertThat(moved.out()).isEqualTo(used.out());
        // an archive the JVM refuses (made for the other path, in a directory whose name has a space) is refused
        // quietly
        java.nio.file.Files.writeString(elsewhere.resolve("manage-db.jsa.for"), System.getProperty("java.home") + "\n"
                + elsewhere.resolve("manage-db.jar") + "\n" + System.getProperty("java.runtime.version") + "\n");
        Run refused = launcher(env, "env", "list");
        assertThat(refused.exitCode()).as(refused.toString()).isZero();
        assertThat(refused.err()).isEmpty();
        assertThat(refused.out()).isEqualTo(used.out());
    }
}
