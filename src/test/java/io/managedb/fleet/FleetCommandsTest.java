package io.managedb.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.JsonDocument;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.PingServer;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet of three environments, one unreachable: backup, prune and verify of each, pings to a real HTTP server on
 * loopback, and the metrics textfile parsed back.
 */
class FleetCommandsTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOWN = "postgresql://app:pw@127.0.0.1:1/nowhere?connect_timeout=2";

    @BeforeAll
    static void data() {
        pg.sql("dev", "CREATE TABLE a (id int PRIMARY KEY); INSERT INTO a VALUES (1), (2)");
        pg.sql("test", "CREATE TABLE b (id int PRIMARY KEY); INSERT INTO b VALUES (1)");
    }

    /** dev and test on the test server, down on a closed port; prod left out, so that --all is these three. */
    private static Map<String, String> fleet(String dir) {
        Map<String, String> env = pg.env();
        env.remove("PROD_DATABASE_URL");
        env.put("DOWN_DATABASE_URL", DOWN);
        env.put("MANAGE_DB_BACKUP_DIR", pg.dir().resolve(dir).toString());
        return env;
    }

    @Test
    void backupAllRunsEveryEnvironmentReportsEachAndExitsWithTheWorst() throws Exception {
        try (PingServer hc = new PingServer()) {
            Map<String, String> env = fleet("b1");
            env.put("MANAGE_DB_NOTIFY_URL", hc.url("/ping/s3cret-token-all?rid=42"));
            env.put("TEST_NOTIFY_URL", hc.url("/ping/s3cret-token-test"));
            Path metrics = pg.dir().resolve("textfile/manage-db.prom");
            env.put("MANAGE_DB_METRICS_FILE", metrics.toString());

            Run run = pg.run(env, "backup", "--all", "--json");
            assertThat(run.exitCode()).as("the unreachable one's 4 is the worst: " + run).isEqualTo(4);
            JsonNode doc = JsonDocument.parse(run.out());
            assertThat(doc.get("exitCode").asInt()).isEqualTo(4);
            JsonNode envs = doc.get("environments");
            assertThat(envs).hasSize(3);
            Map<String, JsonNode> by = new HashMap<>();
            envs.forEach(e -> by.put(e.get("environment").asText(), e));
            assertThat(by.keySet()).containsExactlyInAnyOrder("dev", "test", "down");
            for (String ok : List.of("dev", "test")) {
                assertThat(by.get(ok).get("exitCode").asInt()).isZero();
                assertThat(Path.of(by.get(ok).get("result").get("path").asText())).as(ok + " backed up").exists();
            }
            assertThat(by.get("down").get("exitCode").asInt()).isEqualTo(4);
            assertThat(by.get("down").get("error").asText()).isNotBlank().doesNotContain("pw");
            assertThat(run.out() + run.err()).as("the token is masked everywhere").doesNotContain("s3cret-token");

            // pings: start, then success or fail, per environment; TEST_NOTIFY_URL wins for test; query kept
            List<PingServer.Ping> pings = hc.pings();
            assertThat(pings).hasSize(6).allMatch(p -> p.method().equals("POST"));
            assertThat(uris(pings, "test")).containsExactly("/ping/s3cret-token-test/start", "/ping/s3cret-token-test");
            assertThat(uris(pings, "dev")).containsExactly("/ping/s3cret-token-all/start?rid=42",
                    "/ping/s3cret-token-all?rid=42");
            assertThat(uris(pings, "down")).containsExactly("/ping/s3cret-token-all/start?rid=42",
                    "/ping/s3cret-token-all/fail?rid=42");
            JsonNode fail = JSON.readTree(last(pings, "down").body());
            assertThat(fail.get("command").asText()).isEqualTo("backup");
            assertThat(fail.get("database").asText()).isEqualTo("nowhere");
            assertThat(fail.get("exitCode").asInt()).isEqualTo(4);
            assertThat(fail.get("error").asText()).isNotBlank();
            assertThat(fail.has("durationSeconds")).isTrue();
            JsonNode success = JSON.readTree(last(pings, "test").body());
            assertThat(success.get("exitCode").asInt()).isZero();
            assertThat(success.get("sizeBytes").asLong()).isEqualTo(by.get("test").get("result").get("sizeBytes").asLong());
            assertThat(success.get("error").isNull()).isTrue();

            // metrics: parsed back, HELP and TYPE once per metric, world-readable
            String text = Files.readString(metrics);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(metrics))).isEqualTo("rw-r--r--");
            for (String name : List.of("manage_db_last_success_timestamp_seconds", "manage_db_last_exit_code",
                    "manage_db_last_duration_seconds", "manage_db_last_size_bytes", "manage_db_good_backups",
                    "manage_db_newest_backup_age_seconds")) {
                assertThat(count(text, "# HELP " + name + " ")).as(name).isEqualTo(1);
                assertThat(count(text, "# TYPE " + name + " gauge")).as(name).isEqualTo(1);
            }
            Map<String, Double> m = parse(text);
            String test = "{command=\"backup\",environment=\"test\",database=\"" + pg.database("test") + "\"}";
            String down = "{command=\"backup\",environment=\"down\",database=\"nowhere\"}";
            assertThat(m.get("manage_db_last_exit_code" + test)).isZero();
            assertThat(m.get("manage_db_last_exit_code" + down)).isEqualTo(4);
            assertThat(m.get("manage_db_last_success_timestamp_seconds" + test))
                    .isGreaterThan(System.currentTimeMillis() / 1000.0 - 600);
            assertThat(m.get("manage_db_last_success_timestamp_seconds" + down)).as("never succeeded").isZero();
            assertThat(m.get("manage_db_good_backups" + test)).isEqualTo(1);
            assertThat(m.get("manage_db_good_backups" + down)).isZero();
            assertThat(m.get("manage_db_last_size_bytes" + test)).isPositive();
            assertThat(m.get("manage_db_newest_backup_age_seconds" + test)).isBetween(0.0, 600.0);
            assertThat(m).doesNotContainKey("manage_db_newest_backup_age_seconds" + down);

            // a later run of another command and one environment keeps everyone else's lines
            Run prune = pg.run(env, "backup", "prune", "-e", "dev", "--keep-last", "1", "-q");
            assertThat(prune.exitCode()).as(prune.toString()).isZero();
            Map<String, Double> after = parse(Files.readString(metrics));
            assertThat(after).containsAllEntriesOf(m);
            assertThat(after.get("manage_db_last_exit_code{command=\"prune\",environment=\"dev\",database=\""
                    + pg.database("dev") + "\"}")).isZero();
        }
    }

    @Test
    void parallelTextOutputIsOneLinePerEnvironmentAndOneSelectionServesPruneAndVerify() {
        Map<String, String> env = fleet("b2");
        Run text = pg.run(env, "backup", "--env", "dev,test,down", "--parallel", "2");
        assertThat(text.exitCode()).as(text.toString()).isEqualTo(4);
        List<String> lines = text.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("dev ").contains("ok").contains("backup written");
        assertThat(lines.get(1)).startsWith("test ").contains("ok");
        assertThat(lines.get(2)).startsWith("down ").contains("exit 4");
        Run quiet = pg.run(env, "backup", "-e", "dev,test,down", "--parallel", "2", "-q");
        assertThat(quiet.exitCode()).isEqualTo(4);
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err().lines().toList()).as("one line for the failing one").hasSize(1)
                .allMatch(l -> l.startsWith("manage-db: down: "));

        Run prune = pg.run(env, "backup", "prune", "--env", "dev,test", "--keep-last", "1", "--json");
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        JsonNode doc = JsonDocument.parse(prune.out());
        assertThat(doc.get("environments")).hasSize(2);
        doc.get("environments").forEach(e -> {
            assertThat(e.get("result").get("deleted")).as(e.toString()).hasSize(1);
            assertThat(e.get("result").get("kept")).hasSize(1);
        });

        Run verify = pg.run(env, "backup", "verify", "latest", "--all", "--json");
        assertThat(verify.exitCode()).as("down has no backup to verify: " + verify).isEqualTo(2);
        JsonNode v = JsonDocument.parse(verify.out());
        assertThat(v.get("environments")).hasSize(3);
        v.get("environments").forEach(e -> assertThat(e.get("exitCode").asInt()).as(e.toString())
                .isEqualTo(e.get("environment").asText().equals("down") ? 2 : 0));
        Run verifyTwo = pg.run(env, "backup", "verify", "latest", "-e", "dev,test", "--parallel", "2", "-q");
        assertThat(verifyTwo.exitCode()).as(verifyTwo.toString()).isZero();
        assertThat(verifyTwo.out() + verifyTwo.err()).isEmpty();
    }

    @Test
    void aHangingEndpointHitsTheTimeoutAndLeavesTheExitCodeAlone() throws Exception {
        try (PingServer hc = new PingServer(uri -> uri.endsWith("/start"), 10_000)) {
            Map<String, String> env = fleet("b3");
            env.put("MANAGE_DB_NOTIFY_URL", hc.url("/hang/t0ken-abcdef"));
            env.put("MANAGE_DB_NOTIFY_TIMEOUT", "1s");
            long start = System.nanoTime();
            Run run = pg.run(env, "backup", "-e", "test", "-q");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines().toList()).hasSize(1).allMatch(l -> l.matches(
                    "manage-db: notify: http://127\\.0\\.0\\.1:\\d+/\\*\\*\\*: no answer within 1\\.0 s"));
            assertThat(seconds).as("gave up after the timeout, not the 10 s hang").isLessThan(8);
            assertThat(hc.pings()).extracting(PingServer.Ping::uri)
                    .containsExactly("/hang/t0ken-abcdef/start", "/hang/t0ken-abcdef");
        }
    }

    @Test
    void oneEnvironmentPrintsAsBeforeAndBadSelectionsFailBeforeAnythingRuns() throws Exception {
        Map<String, String> env = fleet("b4");
        Run one = pg.run(env, "backup", "-e", "test");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).startsWith("backup of test written: ");
        Run down = pg.run(env, "backup", "-e", "down", "--json");
        assertThat(down.exitCode()).isEqualTo(4);
        assertThat(JsonDocument.parse(down.out()).get("exitReason").asText()).isEqualTo("unreachable");

        try (PingServer hc = new PingServer()) {
            env.put("MANAGE_DB_NOTIFY_URL", hc.url("/x/t0ken-abcdef"));
            assertThat(pg.run(env, "backup", "--all", "-e", "test").exitCode()).isEqualTo(2);
            assertThat(pg.run(env, "backup", "--all", "--parallel", "0").exitCode()).isEqualTo(2);
            assertThat(pg.run(env, "backup", "-e", "test,nosuch").exitCode()).isEqualTo(3);
            assertThat(pg.run(env, "backup", "prune", "--all", "--keep-last", "0").exitCode()).isEqualTo(2);
            assertThat(hc.pings()).as("nothing ran").isEmpty();
        }
        Map<String, String> typo = fleet("b4");
        typo.put("TSET_NOTIFY_URL", "https://hc.example/t0ken-abcdef");
        Run t = pg.run(typo, "backup", "-e", "test");
        assertThat(t.exitCode()).isEqualTo(3);
        assertThat(t.err()).contains("TSET_NOTIFY_URL").doesNotContain("t0ken");
        Map<String, String> bad = fleet("b4");
        bad.put("MANAGE_DB_NOTIFY_URL", "ftp://hc.example/t0ken-abcdef");
        Run b = pg.run(bad, "backup", "-e", "test");
        assertThat(b.exitCode()).isEqualTo(3);
        assertThat(b.err()).contains("MANAGE_DB_NOTIFY_URL").doesNotContain("t0ken");
    }

    private static List<String> uris(List<PingServer.Ping> pings, String environment) {
        return pings.stream().filter(p -> p.body().contains("\"environment\":\"" + environment + "\""))
                .map(PingServer.Ping::uri).toList();
    }

    private static PingServer.Ping last(List<PingServer.Ping> pings, String environment) {
        List<PingServer.Ping> mine = pings.stream()
                .filter(p -> p.body().contains("\"environment\":\"" + environment + "\"")).toList();
        return mine.get(mine.size() - 1);
    }

    private static int count(String text, String prefix) {
        return (int) text.lines().filter(l -> l.startsWith(prefix)).count();
    }

    /** A Prometheus text exposition, sample lines only: "name{labels}" → value. */
    private static Map<String, Double> parse(String text) {
        Pattern sample = Pattern.compile("^([a-z_]+(?:\\{[^}]*\\})?) (\\S+)$");
        Map<String, Double> values = new HashMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = sample.matcher(line);
            assertThat(m.matches()).as("a sample line: " + line).isTrue();
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }
}
