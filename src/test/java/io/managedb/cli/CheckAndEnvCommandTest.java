package io.managedb.cli;

import io.managedb.testing.JsonDocument;
import io.managedb.testing.NastyPasswords;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CheckAndEnvCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final String SECRET = "s3cr3t-Pa55word";

    @Test
    void helpListsCommandsExitCodesAndExamples() {
        Run run = pg.run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("check", "env", "completion", "Exit codes:", "  7", "Examples:");
    }

    @Test
    void versionPrintsTheToolVersion() {
        Run run = pg.run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("manage-db ");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run run = pg.run("check", "--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void checkOfAHealthyEnvironmentExitsZero() {
        Run run = pg.run("check", "-e", "test");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("test", "reachable", "yes", "PostgreSQL 15", "pg_dump", "healthy",
                pg.database("test"));
    }

    @Test
    void checkAllAsJsonIsOneDocument() {
        Run run = pg.run("check", "--all", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode json = JsonDocument.parse(run.out());
        assertThat(json.findValues("environment")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .as("every environment in the one document").contains("dev", "test", "prod");
        assertThat(json.findValues("reachable")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.asBoolean()).as("reachable").isTrue());
    }

    @Test
    void checkReportsAStampMismatchAsAProblem() {
        pg.sql("test", "ALTER DATABASE " + pg.database("test") + " SET manage_db.environment = 'prod'");
        try {
            Run run = pg.run("check", "-e", "test");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
            assertThat(run.out()).contains("stamped as environment 'prod'");
        } finally {
            pg.sql("test", "ALTER DATABASE " + pg.database("test") + " RESET manage_db.environment");
        }
    }

    @Test
    void unreachablePortExitsFourInOneLine() {
        Map<String, String> env = pg.env();
        env.put("DEV_DATABASE_URL", "postgresql://app:" + SECRET + "@127.0.0.1:1/app");
        Run run = pg.run(env, "check");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).contains("reachable", "no");
        assertNoSecret(run);
    }

    @Test
    void wrongPasswordExitsFourWithoutShowingIt() {
        pg.server().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mdb_app')"
                + " THEN CREATE ROLE mdb_app LOGIN PASSWORD 'right-password'; END IF; END $$");
        Map<String, String> env = pg.env();
        env.put("DEV_DATABASE_URL", "postgresql://mdb_app:" + SECRET + "@" + pg.server().host() + ":"
                + pg.server().port() + "/" + pg.database("dev"));
        Run run = pg.run(env, "check", "--json");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).contains("password authentication failed");
        assertNoSecret(run);
    }

    @Test
    void malformedUrlIsAConfigurationErrorNamingTheKey() {
        Map<String, String> env = pg.env();
        env.put("STAGING_DATABASE_URL", "mysql://root:" + SECRET + "@db/x");
        Run run = pg.run(env, "env", "list");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err().strip()).isEqualTo("manage-db: error: STAGING_DATABASE_URL: malformed URL"
                + " (expected postgresql://user:password@host:port/database)");
        assertNoSecret(run);
    }

    @Test
    void malformedEnvFileLineNamesFileAndLine() throws Exception {
        Path file = pg.dir().resolve("bad.env");
        Files.writeString(file, "# comment\nGOOD=1\nthis is not an assignment " + SECRET + "\n");
        Run run = pg.run("--env-file", file.toString(), "env", "list");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err().strip()).isEqualTo("manage-db: error: " + file + ":3: malformed line (expected KEY=value)");
        assertNoSecret(run);
    }

    @Test
    void missingExplicitEnvFileIsAnError() {
        Run run = pg.run("--env-file", "nope.env", "env", "list");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("env file not found");
    }

    @Test
    void unknownEnvironmentListsTheConfiguredOnes() {
        Run run = pg.run("check", "-e", "staging");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err().strip()).isEqualTo("manage-db: error: unknown environment 'staging'; configured: dev,"
                + " test, prod (define it with STAGING_DATABASE_URL)");
    }

    @Test
    void aliasesSelectTheCanonicalEnvironment() {
        Run run = pg.run("env", "show", "production", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"name\" : \"prod\"", "\"protectedEnv\" : true");
    }

    @Test
    void missingPgDumpIsReportedByCheck() throws Exception {
        Path empty = Files.createTempDirectory(pg.dir(), "bin");
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_PG_BIN", empty.toString());
        Run run = pg.run(env, "check", "-e", "test");
        // a MANAGE_DB_PG_BIN without the tools is refused when the settings are loaded, before anything runs
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("MANAGE_DB_PG_BIN: " + empty + " has no executable pg_dump");
    }

    @Test
    void pgDumpOlderThanTheServerIsReportedByCheck() throws Exception {
        Path bin = Files.createTempDirectory(pg.dir(), "oldbin");
        for (String tool : new String[] {"pg_dump", "pg_restore", "psql"}) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 12.3'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_PG_BIN", bin.toString());
        Run run = pg.run(env, "check", "-e", "test");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.out()).contains("pg_dump 12.3 is older than the server");
    }

    @Test
    void envListMasksPasswordsAndMarksTheActiveOne() {
        Map<String, String> env = pg.env();
        env.put("STAGING_DATABASE_URL", "postgres://app:" + SECRET + "@db.example.com/app?sslmode=require");
        env.put("MANAGE_DB_ENV", "testing");
        Run run = pg.run(env, "env", "list");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("postgresql://app:***@db.example.com:5432/app?sslmode=require", "staging");
        assertThat(run.out()).containsPattern("\\*\\s+test\\s");
        assertNoSecret(run);
    }

    @Test
    void zeroConfigurationDefaultIsSaidWhenNoDevUrl() {
        Map<String, String> env = new HashMap<>(pg.env());
        env.remove("DEV_DATABASE_URL");
        env.put("PGHOST", pg.server().host());
        env.put("PGPORT", Integer.toString(pg.server().port()));
        env.put("PGUSER", "postgres");
        env.put("PGDATABASE", pg.database("dev"));
        Run show = pg.run(env, "env", "show");
        assertThat(show.out()).contains("zero-configuration default", pg.database("dev"));
        Run check = pg.run(env, "check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("zero-configuration default");
    }

    @Test
    void envUseWritesTheEnvFileKeepingOtherLines() throws Exception {
        Path file = pg.dir().resolve("use.env");
        Files.writeString(file, "# my settings\nexport FOO='bar baz'  # keep me\nMANAGE_DB_ENV=dev\n\n# end\n");
        Run run = pg.run("--env-file", file.toString(), "env", "use", "testing");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readString(file))
                .isEqualTo("# my settings\nexport FOO='bar baz'  # keep me\nMANAGE_DB_ENV=test\n\n# end\n");
        Run list = pg.run("--env-file", file.toString(), "env", "list", "--json");
        assertThat(list.out()).containsPattern("(?s)\"name\" : \"test\",(?:(?!\"name\").)*\"active\" : true");
    }

    @Test
    void anUnencodedPasswordWithSlashAtColonAndQuestionMarkConnects() {
        String password = "s3cr3t@pa55:w0rd/hunter2?x";
        pg.server().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mdb_nasty')"
                + " THEN CREATE ROLE mdb_nasty LOGIN; END IF; END $$; ALTER ROLE mdb_nasty PASSWORD '" + password + "'");
        Map<String, String> env = pg.env();
        env.put("NASTY_DATABASE_URL", "postgresql://mdb_nasty:" + password + "@" + pg.server().host() + ":"
                + pg.server().port() + "/" + pg.database("test"));
        Run run = pg.run(env, "check", "-e", "nasty", "--json");
        assertThat(run.out()).as(run.toString()).contains("\"reachable\" : true",
                "\"target\" : \"postgresql://mdb_nasty:***@" + pg.server().host() + ":" + pg.server().port() + "/"
                        + pg.database("test") + "\"");
        assertNoFragment(run, password);
    }

    @Test
    void theIssuesCheckJsonLeakIsGone() {
        String password = "pw@127.0.0.1:1/Topsecret";
        Map<String, String> env = pg.env();
        env.put("TEST_DATABASE_URL", "postgresql://postgres:" + password + "@" + pg.server().host() + ":"
                + pg.server().port() + "/" + pg.database("test"));
        Run run = pg.run(env, "check", "-e", "test", "--json");
        assertThat(run.out()).as(run.toString()).contains("\"reachable\" : true");
        assertNoFragment(run, password);
    }

    /** Every nasty password, unencoded where that can work: parsed right, and never in any output or error. */
    @Test
    void nastyPasswordsNeverReachOutput() {
        String hostPort = pg.server().host() + ":" + pg.server().port();
        for (String password : NastyPasswords.ALL) {
            String userInfo = "postgres:" + (NastyPasswords.validRaw(password) ? password : NastyPasswords.encode(password));
            Map<String, String> env = pg.env();
            env.put("NASTY_DATABASE_URL", "postgresql://" + userInfo + "@" + hostPort + "/" + pg.database("test"));
            Run show = pg.run(env, "env", "show", "nasty", "--json");
            assertThat(show.out()).as(show.toString()).contains("\"host\" : \"" + pg.server().host() + "\"",
                    "\"database\" : \"" + pg.database("test") + "\"", "\"user\" : \"postgres\"",
                    "\"password\" : \"set\"");
            assertNoFragment(show, password);
            Run list = pg.run(env, "env", "list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertNoFragment(list, password);
            Run check = pg.run(env, "check", "-e", "nasty", "--json");
            assertThat(check.out()).as(check.toString()).contains("\"reachable\" : true");
            assertNoFragment(check, password);

            env.put("NASTY_DATABASE_URL", "postgresql://postgres:" + password + "@" + pg.server().host() + ":5x432/db");
            Run invalid = pg.run(env, "env", "list");
            assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(3);
            assertThat(invalid.err()).contains(NastyPasswords.validRaw(password)
                    ? "NASTY_DATABASE_URL: invalid port (expected 1-65535)"
                    : "NASTY_DATABASE_URL: invalid percent-encoding");
            assertNoFragment(invalid, password);
        }
    }

    @Test
    void envUseKeepsTheModeAndOwnerOfTheEnvFileAndLeavesNoTempFile() throws Exception {
        for (String mode : new String[] {"rw-------", "rw-r-----"}) {
            Path dir = Files.createTempDirectory(pg.dir(), "mode");
            Path file = dir.resolve(".env");
            Files.writeString(file, "# secrets\nPROD_DATABASE_URL=" + pg.url("prod") + "\nMANAGE_DB_ENV=dev\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                Files.setAttribute(file, "unix:uid", 4321);
                Files.setAttribute(file, "unix:gid", 4322);
            }
            Object owner = Files.getAttribute(file, "unix:uid");
            Object group = Files.getAttribute(file, "unix:gid");
            Run run = pg.run("--env-file", file.toString(), "env", "use", "test");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo(mode);
            assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(owner);
            assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(group);
            assertThat(Files.readString(file))
                    .isEqualTo("# secrets\nPROD_DATABASE_URL=" + pg.url("prod") + "\nMANAGE_DB_ENV=test\n");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".env");
            }
        }
    }

    @Test
    void envUseThroughASymlinkRewritesItsTarget() throws Exception {
        Path dir = Files.createTempDirectory(pg.dir(), "link");
        Path real = Files.writeString(dir.resolve("real.env"), "MANAGE_DB_ENV=dev\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve(".env"), real.getFileName());
        Run run = pg.run("--env-file", link.toString(), "env", "use", "prod");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("MANAGE_DB_ENV=prod\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-------");
    }

    @Test
    void completionPrintsABashScript() {
        Run run = pg.run("completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F", "manage-db");
    }

    private static void assertNoFragment(Run run, String password) {
        assertThat(NastyPasswords.leaked(run.out(), password)).as(run.toString()).isNull();
        assertThat(NastyPasswords.leaked(run.err(), password)).as(run.toString()).isNull();
    }

    private static void assertNoSecret(Run run) {
        assertThat(run.out()).doesNotContain(SECRET);
        assertThat(run.err()).doesNotContain(SECRET);
    }
}
