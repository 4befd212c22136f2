package io.managedb.restore;

import io.managedb.backup.Manifests;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain backup file is input, not a program: nothing in it runs outside the scratch database or is not SQL. */
class PlainFileSafetyTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final String TRAILER = "\n--\n-- PostgreSQL database dump complete\n--\n";

    @BeforeAll
    static void setUp() {
        pg.sql("test", "CREATE TABLE items (id int PRIMARY KEY, v text);"
                + " INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 20000) g;"
                + " INSERT INTO items VALUES (0, 'C:\\temp \\! touch /tmp/x'), (-1, E'line\\n\\\\. not the end');"
                + " CREATE FUNCTION odd() RETURNS text LANGUAGE sql AS $f$ SELECT 'a\\b \\! x' $f$;"
                + " CREATE VIEW v AS SELECT odd() AS o, 'C:\\dir' AS p;"
                + " ALTER DATABASE " + pg.database("test") + " SET work_mem = '7MB'");
        pg.sql("dev", "CREATE TABLE victim (x int); INSERT INTO victim SELECT generate_series(1, 10)");
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("bang", "CREATE TABLE a (x int);\n\\! touch MARKER\n", 2, "\\!"),
                Arguments.of("bang-id", "\\! id > MARKER\n", 1, "\\!"),
                Arguments.of("connect-other", "CREATE TABLE a (x int);\n\\connect OTHER\nDELETE FROM victim;\n", 2,
                        "reaches database"),
                Arguments.of("c-other", "\\c OTHER\nDELETE FROM victim;\n", 1, "reaches database"),
                Arguments.of("o", "\\o MARKER\nSELECT 1;\n", 1, "\\o"),
                Arguments.of("w", "SELECT 1;\n\\w MARKER\n", 2, "\\w"),
                Arguments.of("i", "\\i /etc/passwd\n", 1, "\\i"),
                Arguments.of("ir", "\\ir MARKER\n", 1, "\\ir"),
                Arguments.of("copy", "\\copy (SELECT 1) TO 'MARKER'\n", 1, "\\copy"),
                Arguments.of("setenv", "\\setenv PAGER 'touch MARKER'\n", 1, "\\setenv"),
                Arguments.of("g-pipe", "SELECT 1 \\g |touch MARKER\n", 1, "\\g"),
                Arguments.of("mid-line", "SELECT 1;\nSELECT 1 \\! touch MARKER\n", 2, "\\!"),
                Arguments.of("after-comment", "/* a\n comment */ SELECT 2; \\! touch MARKER\n", 2, "\\!"),
                Arguments.of("dot-outside-copy", "\\.\n", 1, "\\."),
                Arguments.of("restrict-then-lift", "\\restrict abc\nSELECT 1 \\unrestrict abc\n\\! touch MARKER\n",
                        2, "\\unrestrict"),
                Arguments.of("e-string-escape", "SELECT E'it\\'s';\n\\! touch MARKER\n", 2, "\\!"),
                Arguments.of("drop-target", "DROP DATABASE TARGET;\n", 1, "reaches database"),
                Arguments.of("drop-target-if-exists", "SELECT 1;\nDROP DATABASE IF EXISTS TARGET;\n", 2,
                        "reaches database"),
                Arguments.of("alter-other", "ALTER DATABASE OTHER RENAME TO gone;\n", 1, "reaches database"),
                Arguments.of("create-db-late", "CREATE TABLE a (x int);\nCREATE DATABASE mdb_evil;\n", 2,
                        "CREATE DATABASE"),
                Arguments.of("alter-system", "ALTER SYSTEM SET work_mem = '77MB';\n", 1, "ALTER SYSTEM"),
                Arguments.of("copy-program", "COPY (SELECT 1) TO PROGRAM 'touch MARKER';\n", 1, "PROGRAM"),
                Arguments.of("copy-file", "CREATE TABLE a (x int);\nCOPY a TO 'MARKER';\n", 2, "server file"),
                Arguments.of("do-copy-program", "DO $$ BEGIN\n  EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER''';\n"
                        + "END $$;\n", 1, "PROGRAM"),
                Arguments.of("function-alter-system", "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $b$\n"
                        + "BEGIN EXECUTE 'ALTER SYSTEM SET work_mem = ''9MB'''; END $b$;\n", 1, "ALTER SYSTEM"),
                Arguments.of("role", "CREATE ROLE mdb_evil SUPERUSER;\n", 1, "ROLE"),
                Arguments.of("grant-role", "GRANT pg_read_server_files TO PUBLIC;\n", 1, "role membership"),
                Arguments.of("lo-export", "SELECT lo_export(1, 'MARKER');\n", 1, "lo_export"),
                Arguments.of("c-function", "CREATE FUNCTION sys(cstring) RETURNS int AS 'libc.so.6', 'system'"
                        + " LANGUAGE c;\n", 1, "LANGUAGE"),
                Arguments.of("conforming-off", "SET standard_conforming_strings = off;\n", 1,
                        "standard_conforming_strings"),
                Arguments.of("pg-database", "UPDATE pg_database SET datallowconn = false WHERE datname = 'OTHER';\n",
                        1, "shared"),
                Arguments.of("unterminated", "SELECT 1;\nDELETE FROM victim\n", 2, "not ended by ';'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostilePlainFileIsRefusedBeforeAnythingRuns(String name, String body, int line, String what)
            throws Exception {
        for (boolean gzip : new boolean[] {false, true}) {
            Path marker = pg.dir().resolve("marker-" + name + "-" + gzip);
            Path file = write(name + (gzip ? ".sql.gz" : ".sql"), fill(body, marker) + TRAILER, gzip);
            assertRefused(file, marker, "line " + line + ":", what, "restore", file.toString(), "-e", "test", "-y",
                    "--no-safety-backup");
        }
    }

    @Test
    void deepVerifyOfAHostileFileRefusesTheSameWay() throws Exception {
        Path marker = pg.dir().resolve("marker-verify");
        Path file = write("verify.sql.gz", fill("SELECT 1;\n\\! touch MARKER\n", marker) + TRAILER, true);
        assertRefused(file, marker, "line 2:", "\\!", "backup", "verify", file.toString(), "-e", "test", "--deep");
    }

    @Test
    void tamperedManageDbBackupIsRefusedByItsChecksumBeforeItsCommandRuns() throws Exception {
        Run backup = pg.run("backup", "-e", "test", "--format", "plain", "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        Path good = Path.of(backup.out().replaceAll("(?s).*?\"path\" : \"([^\"]+)\".*", "$1"));
        Path marker = pg.dir().resolve("marker-tampered");
        String sql = gunzip(good);
        int at = sql.indexOf("CREATE TABLE");
        Path tampered = write("tampered.sql.gz", sql.substring(0, at) + "\\! touch " + marker + "\n"
                + sql.substring(at), true);
        // the size is edited to match too, so that only the SHA-256 can tell
        Files.writeString(Manifests.of(tampered), Files.readString(Manifests.of(good))
                .replaceAll("\"sizeBytes\" : \\d+", "\"sizeBytes\" : " + Files.size(tampered)));
        Fingerprint before = Fingerprint.of(pg, "test");
        Run run = pg.run("restore", tampered.toString(), "-e", "test", "-y", "--no-safety-backup");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.err().strip()).contains("SHA-256").doesNotContain("\n").doesNotContain("Exception");
        assertThat(marker).doesNotExist();
        assertThat(Fingerprint.of(pg, "test")).isEqualTo(before);
    }

    /** pg_dump's own plain output, made elsewhere (no manifest), with --create, --clean --create, --clean --if-exists. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--create", "--clean --create", "--clean --if-exists", "--format=plain"})
    void genuinePgDumpFilesRestoreIntoTheScratchDatabase(String options) throws Exception {
        Fingerprint source = Fingerprint.of(pg, "test");
        String otherBefore = pg.query("dev", "SELECT count(*) FROM victim");
        for (boolean gzip : new boolean[] {false, true}) {
            pg.addEnvironment("tgt");
            pg.sql("tgt", "CREATE TABLE only_in_target (x int)");
            List<String> cmd = new ArrayList<>(List.of("pg_dump", "-d", pg.url("test")));
            cmd.addAll(Arrays.asList(options.split(" ")));
            Path file = write("pg_dump-" + options.replace(' ', '_') + (gzip ? ".sql.gz" : ".sql"), pgDump(cmd),
                    gzip);
            Run run = pg.run("restore", file.toString(), "-e", "tgt", "-y", "--no-safety-backup");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            Fingerprint after = Fingerprint.of(pg, "tgt");
            assertThat(after.tables()).isEqualTo(source.tables());
            assertThat(after.sequences()).isEqualTo(source.sequences());
            assertThat(after.schema()).isEqualTo(source.schema());
            assertThat(Fingerprint.of(pg, "test")).as("the source named in the file is untouched").isEqualTo(source);
            assertThat(pg.query("test", "SELECT current_setting('work_mem')")).isEqualTo("7MB");
        }
        assertThat(pg.query("dev", "SELECT count(*) FROM victim")).isEqualTo(otherBefore);
    }

    @Test
    void legitimateContentThatLooksSuspiciousPasses() throws Exception {
        pg.addEnvironment("tgt");
        String sql = "SET standard_conforming_strings = on;\n"
                + "CREATE TABLE w (id int, x text);\n"
                + "INSERT INTO w VALUES (1, 'C:\\temp'), (2, E'back\\\\slash \\' quote'),\n"
                + "  (3, $q$ \\! not a command $q$), (4, 'it''s \\connect x');\n"
                + "/* \\! in a comment /* nested \\o */ still */ -- \\! here too\n"
                + "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN '\\w'; END $$;\n"
                + "COPY w (id, x) FROM stdin;\n"
                + "5\t\\\\! touch nothing\n"
                + "6\t\\\\connect other\n"
                + "\\.\n"
                + "SELECT pg_catalog.set_config('search_path', 'public', false);\n";
        Path file = write("legit.sql.gz", sql + TRAILER, true);
        Run run = pg.run("restore", file.toString(), "-e", "tgt", "-y", "--no-safety-backup");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(pg.query("tgt", "SELECT string_agg(x, '|' ORDER BY id) FROM w"))
                .isEqualTo("C:\\temp|back\\slash ' quote| \\! not a command |it's \\connect x|\\! touch nothing"
                        + "|\\connect other");
        assertThat(pg.query("tgt", "SELECT f()")).isEqualTo("\\w");
    }

    @Test
    void createPreambleNamingAnExistingDatabaseStillRunsInTheScratchDatabase() throws Exception {
        String other = pg.database("dev");
        Path file = write("preamble.sql", "CREATE DATABASE " + other + ";\n\\connect " + other
                + "\nDELETE FROM victim;\n" + TRAILER, false);
        Fingerprint before = Fingerprint.of(pg, "test");
        Run run = pg.run("restore", file.toString(), "-e", "test", "-y", "--no-safety-backup");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("victim");
        assertThat(pg.query("dev", "SELECT count(*) FROM victim")).isEqualTo("10");
        assertThat(Fingerprint.of(pg, "test")).isEqualTo(before);
    }

    @Test
    void verifyReadsEveryDataBlock() throws Exception {
        Run backup = pg.run("backup", "-e", "test", "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        Path good = Path.of(backup.out().replaceAll("(?s).*?\"path\" : \"([^\"]+)\".*", "$1"));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = pg.dir().resolve("cut.dump");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 58 / 100));
        Run run = pg.run("backup", "verify", cut.toString(), "-e", "test");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.out() + run.err()).contains("not readable").doesNotContain("the local tools read the whole");
        Run whole = pg.run("backup", "verify", good.toString(), "-e", "test");
        assertThat(whole.exitCode()).as(whole.toString()).isZero();
    }

    /** The target as it was before the refusals (a refusal changes nothing, so it stays valid for all of them). */
    private static Fingerprint unchanged;

    private static void assertRefused(Path file, Path marker, String line, String what, String... args) {
        if (unchanged == null) {
            unchanged = Fingerprint.of(pg, "test");
        }
        Fingerprint before = unchanged;
        String other = pg.query("dev", "SELECT count(*) FROM victim");
        Run run = pg.run(args);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        String err = run.err().strip() + run.out();
        assertThat(err).as(run.toString()).contains(line).contains(what).doesNotContain("Exception");
        assertThat(run.err().strip()).doesNotContain("\n");
        assertThat(marker).as("nothing from the file ran").doesNotExist();
        assertThat(Fingerprint.of(pg, "test")).isEqualTo(before);
        assertThat(pg.query("dev", "SELECT count(*) FROM victim")).isEqualTo(other);
        assertThat(pg.query("test", "SELECT count(*) FROM pg_database WHERE datname = 'mdb_evil'")).isEqualTo("0");
        assertThat(pg.query("test", "SELECT count(*) FROM pg_roles WHERE rolname = 'mdb_evil'")).isEqualTo("0");
        assertThat(pg.query("test", "SELECT count(*) FROM pg_file_settings WHERE name = 'work_mem'"
                + " AND sourcefile LIKE '%auto.conf'")).isEqualTo("0");
    }

    private static String fill(String body, Path marker) {
        return body.replace("MARKER", marker.toString()).replace("OTHER", pg.database("dev"))
                .replace("TARGET", pg.database("test"));
    }

    private static Path write(String name, String content, boolean gzip) throws IOException {
        Path p = pg.dir().resolve(name);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (!gzip) {
            return Files.write(p, bytes);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(bytes);
        }
        return p;
    }

    private static String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String pgDump(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("pg_dump " + cmd).isTrue();
        return out;
    }
}
