package io.managedb.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.Jvm;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import io.managedb.testing.S3Server;
import io.managedb.testing.ThrottledProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups in S3-compatible object storage (gaul/s3proxy in-process, {@link S3Server}): every backup command against a
 * bucket, atomic publish, cleanup after interrupted uploads, retention in a shared bucket, and the errors of a bucket
 * or endpoint that is missing, refuses the credentials or cannot be reached. prod holds northwind; its backups are
 * restored into test.
 */
class ObjectStorageTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static S3Server s3;
    private static String bucket;
    private static Path key;
    private static String recipient;
    private static Path otherKey;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = S3Server.get();
        bucket = s3.createBucket("mdb-" + UUID.randomUUID().toString().substring(0, 8));
        Datasets.load(pg, "prod", "northwind");
        if (onPath("age-keygen")) { // .ci/run installs age; without it only the encrypted cases are skipped
            key = pg.dir().resolve("backup.key");
            recipient = keygen(key);
            otherKey = pg.dir().resolve("other.key");
            keygen(otherKey);
        }
    }

    private static boolean onPath(String tool) {
        return java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static Map<String, String> env(String prefix) {
        Map<String, String> env = pg.env();
        env.putAll(s3.settings("s3://" + bucket + "/" + prefix));
        return env;
    }

    private static Map<String, String> encrypted(String prefix) {
        org.junit.jupiter.api.Assumptions.assumeTrue(recipient != null, "age-keygen is installed");
        Map<String, String> env = env(prefix);
        env.put("MANAGE_DB_BACKUP_RECIPIENTS", recipient);
        env.put("MANAGE_DB_BACKUP_IDENTITY", key.toString());
        return env;
    }

    private static JsonNode backup(Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("backup", "--json"));
        all.addAll(List.of(args));
        Run run = pg.run(env, all.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(S3Server.SECRET_KEY);
        return new ObjectMapper().readTree(run.out());
    }

    private static List<String> keys(String prefix) {
        return s3.keys(bucket).stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()))
                .toList();
    }

    private static byte[] object(String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static void restoresToProd(Map<String, String> env, String... restore) {
        pg.sql("test", "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
        Run run = pg.run(env, restore);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Fingerprint prod = Fingerprint.of(pg, "prod");
        Fingerprint test = Fingerprint.of(pg, "test");
        assertThat(test.tables()).isEqualTo(prod.tables());
        assertThat(test.schema()).isEqualTo(prod.schema());
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom", "plain", "directory"})
    void aBackupInABucketListsVerifiesAndRestoresLikeALocalOne(String format) throws Exception {
        String prefix = "rt-" + format + "/";
        Map<String, String> env = env(prefix);
        JsonNode b = backup(env, "-e", "prod", "--format", format);
        String name = b.get("path").asText().substring(("s3://" + bucket + "/" + prefix).length());
        assertThat(b.get("path").asText()).startsWith("s3://" + bucket + "/" + prefix + "prod_");
        List<String> keys = keys(prefix);
        assertThat(keys).contains(name + ".json");
        if (format.equals("directory")) {
            assertThat(keys).as("one object per file").contains(name + "/toc.dat").hasSizeGreaterThan(3);
        } else {
            assertThat(keys).containsExactlyInAnyOrder(name, name + ".json");
            assertThat(b.get("sha256").asText()).isEqualTo(Checksums256.of(object(prefix + name)));
        }
        assertThat(pg.dir().resolve("backups")).as("nothing written locally").doesNotExist();
        String manifest = new String(object(prefix + name + ".json"), StandardCharsets.UTF_8);
        assertThat(manifest).doesNotContain(S3Server.SECRET_KEY, S3Server.ACCESS_KEY);

        Run list = pg.run(env, "backup", "list", "-e", "prod");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("ok\\s+" + java.util.regex.Pattern.quote(name));
        Run verify = pg.run(env, "backup", "verify", "latest", "-e", "prod", "--deep");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("size and SHA-256 match", "row counts of");
        restoresToProd(env, "restore", "s3://" + bucket + "/" + prefix + name, "-e", "test", "-y",
                "--no-safety-backup", "--jobs", format.equals("directory") ? "2" : "1");
        assertThat(keys(prefix)).as("no safety backup asked for").hasSize(keys.size());
    }

    @Test
    void aBucketsDirectoryArchiveIsStagedUnderTmpdir() throws Exception {
        String prefix = "tmpdir/";
        Map<String, String> env = env(prefix);
        Path missing = pg.tmp().resolve("no-such-dir");
        env.put("TMPDIR", missing.toString());
        Run refused = pg.run(env, "backup", "-e", "prod", "--format", "directory");
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).as("the staging directory is made under TMPDIR").contains(missing.toString());
        assertThat(keys(prefix)).as("nothing published").noneMatch(k -> k.endsWith(".json"));

        Path staging = Files.createDirectories(pg.tmp().resolve("staging"));
        env.put("TMPDIR", staging.toString());
        JsonNode b = backup(env, "-e", "prod", "--format", "directory");
        restoresToProd(env, "restore", b.get("path").asText(), "-e", "test", "-y", "--no-safety-backup");
        try (var left = Files.list(staging)) {
            assertThat(left).as("the upload's and the fetch's staging directories are removed").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom", "plain"})
    void anEncryptedBackupInABucketRestoresLatestFromProdWithASafetyBackupBesideIt(String format) throws Exception {
        String prefix = "enc-" + format + "/";
        Map<String, String> env = encrypted(prefix);
        JsonNode b = backup(env, "-e", "prod", "--format", format);
        String name = b.get("path").asText().substring(("s3://" + bucket + "/" + prefix).length());
        assertThat(name).endsWith(".age");
        byte[] stored = object(prefix + name);
        assertThat(new String(stored, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
        Manifest m = Manifests.parse(object(prefix + name + ".json"));
        assertThat(m.encryption().recipients()).containsExactly(BackupKeys.fingerprint(recipient));
        assertThat(m.sha256()).isEqualTo(Checksums256.of(stored));

        Run deep = pg.run(env, "backup", "verify", "latest", "-e", "prod", "--deep");
        assertThat(deep.exitCode()).as(deep.toString()).isZero();
        assertThat(deep.out()).contains("decrypted as a stream", "row counts of");
        restoresToProd(env, "restore", "latest", "--from", "prod", "-e", "test", "-y");
        assertThat(keys(prefix)).as("the safety backup of test went to the bucket, encrypted")
                .anyMatch(k -> k.startsWith("test_") && k.contains("pre-restore") && k.endsWith(".age.json"));
    }

    @Test
    void anObjectReplacedAfterItsChecksumIsExit7BeforeAByteReachesTheTool() throws Exception {
        String prefix = "pinned/";
        Map<String, String> env = env(prefix);
        JsonNode b = backup(env, "-e", "prod");
        String name = b.get("path").asText().substring(("s3://" + bucket + "/" + prefix).length());
        io.managedb.storage.Repository repo = new io.managedb.storage.Repositories(e -> null, env,
                Files.createTempDirectory(pg.dir(), "staging")).at("s3://" + bucket + "/" + prefix);
        try (Archive archive = Archive.open(new StoredBackup(repo, name), BackupKeys.NONE)) {
            archive.checkChecksum();
            assertThat(archive.pinned()).as("read as the version hashed from now on").isTrue();
            byte[] tampered = object(prefix + name);
            tampered[tampered.length / 2] ^= 1; // same size: only its version tells
            s3.client().putObject(r -> r.bucket(bucket).key(prefix + name),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(tampered));
            java.io.ByteArrayOutputStream tool = new java.io.ByteArrayOutputStream();
            PlaintextFeed feed = new PlaintextFeed(archive);
            // the feed runs on the tool's stdin thread, where an exception would be lost: it keeps the refusal,
            // and reports it once the tool is done (which then fails on its empty input)
            feed.writeTo(tool);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> feed.around(() -> null))
                    .isInstanceOfSatisfying(io.managedb.core.ManageDbException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(io.managedb.core.ExitCode.CHECK_FAILED);
                        assertThat(e.getMessage()).contains(name + " has changed since it was checked");
                    });
            assertThat(tool.size()).as("no byte reached the tool").isZero();
        }
    }

    @Test
    void aWrongIdentityIsExit7AndLeavesTheTargetUnchanged() throws Exception {
        Map<String, String> env = encrypted("wrong-id/");
        backup(env, "-e", "prod");
        pg.sql("test", "CREATE TABLE IF NOT EXISTS marker (x int)");
        env.put("MANAGE_DB_BACKUP_IDENTITY", otherKey.toString());
        Run run = pg.run(env, "restore", "latest", "--from", "prod", "-e", "test", "-y");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.err()).contains("cannot decrypt").doesNotContain("AGE-SECRET-KEY");
        assertThat(pg.query("test", "SELECT to_regclass('marker') IS NOT NULL")).isEqualTo("t");
    }

    @Test
    void badCredentialsAMissingBucketAndAnUnreachableEndpointAreOneLineNamingThem() throws Exception {
        Map<String, String> wrongSecret = env("errors/");
        wrongSecret.put("AWS_SECRET_ACCESS_KEY", "not-the-secret-Kq9");
        Run refused = pg.run(wrongSecret, "backup", "-e", "dev");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
        assertThat(refused.err()).contains(bucket, s3.endpoint().getHost() + ":" + s3.endpoint().getPort())
                .doesNotContain("not-the-secret-Kq9").doesNotContain("Exception").hasLineCount(1);
        Run listRefused = pg.run(wrongSecret, "backup", "list", "-e", "dev", "--json", "-v");
        assertThat(listRefused.exitCode()).isEqualTo(4);
        assertThat(listRefused.out() + listRefused.err()).as("not even in verbose logs")
                .doesNotContain("not-the-secret-Kq9");

        Map<String, String> missing = pg.env();
        missing.putAll(s3.settings("s3://mdb-no-such-bucket/x"));
        Run noBucket = pg.run(missing, "backup", "-e", "dev");
        assertThat(noBucket.exitCode()).as(noBucket.toString()).isEqualTo(3);
        assertThat(noBucket.err()).contains("mdb-no-such-bucket", "no such bucket").hasLineCount(1);

        Map<String, String> unreachable = env("errors/");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        unreachable.put("MANAGE_DB_S3_ENDPOINT", "http://127.0.0.1:" + closed);
        Run down = pg.run(unreachable, "backup", "list", "-e", "dev");
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(4);
        assertThat(down.err()).contains(bucket, "127.0.0.1:" + closed, "unreachable").hasLineCount(1);

        Map<String, String> badUrl = env("x/");
        badUrl.put("MANAGE_DB_BACKUP_DIR", "s3://");
        assertThat(pg.run(badUrl, "backup", "list", "-e", "dev").exitCode()).isEqualTo(3);
        assertThat(keys("errors/")).isEmpty();
    }

    @Test
    void pruneInABucketSharedByTwoDatabasesTouchesOnlyItsOwnAndKeepsTheNewest() throws Exception {
        Map<String, String> env = env("shared/");
        backup(env, "-e", "dev", "--label", "one");
        backup(env, "-e", "dev", "--label", "two");
        backup(env, "-e", "test", "--label", "other");
        Run dry = pg.run(env, "backup", "prune", "-e", "dev", "--keep-last", "1", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(keys("shared/")).hasSize(6);
        Run prune = pg.run(env, "backup", "prune", "-e", "dev", "--keep-last", "1");
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(keys("shared/")).hasSize(4).anyMatch(k -> k.contains("_two.dump"))
                .noneMatch(k -> k.contains("_one.")).anyMatch(k -> k.startsWith("test_") && k.endsWith(".json"));
    }

    @Test
    void aPerEnvironmentBackupDirSendsProdToTheBucketWhileDevStaysLocal() throws Exception {
        Map<String, String> env = pg.env();
        env.putAll(s3.settings(pg.dir().resolve("local").toString()));
        env.put("PROD_BACKUP_DIR", "s3://" + bucket + "/per-env");
        JsonNode prod = backup(env, "-e", "prod", "--schema-only");
        JsonNode dev = backup(env, "-e", "dev");
        assertThat(prod.get("path").asText()).startsWith("s3://" + bucket + "/per-env/prod_");
        assertThat(dev.get("path").asText()).startsWith(pg.dir().resolve("local").toString());
        assertThat(keys("per-env/")).hasSize(2);
    }

    @Test
    void anInterruptedUploadLeavesNoManifestAndTheNextRunCleansUp() throws Exception {
        pg.addEnvironment("big");
        // about 12 MB of pg_dump output, uncompressed: three 5 MB parts, uploaded at 4 MB/s
        pg.sql("big", "CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS pad"
                + " FROM generate_series(1, 160000) g");
        String prefix = "interrupted/";
        try (ThrottledProxy slow = new ThrottledProxy(s3.endpoint(), 4 << 20)) {
            Map<String, String> env = env(prefix);
            env.put("BIG_DATABASE_URL", pg.url("big"));
            backup(env, "-e", "big", "--label", "good", "--schema-only");
            Map<String, String> child = new HashMap<>(env);
            child.put("MANAGE_DB_S3_ENDPOINT", slow.endpoint().toString());
            child.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -Dmanage-db.s3.part-size=" + (5 << 20));
            Process term = Jvm.start(pg.dir(), child, "backup", "-e", "big", "--compress", "0");
            Jvm.await("a multipart upload to start", 60_000, () -> !s3.openUploads(bucket).isEmpty());
            term.destroy();
            assertThat(term.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(term.exitValue()).isEqualTo(143);
            assertThat(s3.openUploads(bucket)).as("SIGTERM aborts the upload").isEmpty();
            assertThat(keys(prefix).stream().filter(k -> k.endsWith(".json"))).hasSize(1);

            Process killed = Jvm.start(pg.dir(), child, "backup", "-e", "big", "--compress", "0");
            Jvm.await("a multipart upload to start", 60_000, () -> !s3.openUploads(bucket).isEmpty());
            Jvm.killHard(killed);
            assertThat(s3.openUploads(bucket)).as("kill -9 leaves it").isNotEmpty();
            assertThat(keys(prefix).stream().filter(k -> k.endsWith(".json"))).hasSize(1);
            // an object without a manifest, as a kill between the data and the manifest would leave
            s3.client().putObject(r -> r.bucket(bucket).key(prefix + "big_" + pg.database("big")
                    + "_20200101T000000Z.dump"), software.amazon.awssdk.core.sync.RequestBody.fromString("half"));
            s3.client().putObject(r -> r.bucket(bucket).key(prefix + "big_" + pg.database("big")
                    + "_x_20200101T000000Z.dump"), software.amazon.awssdk.core.sync.RequestBody.fromString("other"));
        }
        Run list = pg.run(env(prefix), "backup", "list", "-e", "big");
        assertThat(list.out()).contains("no-manifest");
        backup(env(prefix), "-e", "big", "--label", "next", "--schema-only");
        assertThat(s3.openUploads(bucket)).as("the next run aborted the stale upload").isEmpty();
        assertThat(keys(prefix)).as("good backups and another database's object stay; the orphan is gone")
                .hasSize(5).noneMatch(k -> k.equals("big_" + pg.database("big") + "_20200101T000000Z.dump"))
                .anyMatch(k -> k.contains("_x_20200101T000000Z.dump"));
    }

    private static String keygen(Path file) throws Exception {
        Process p = new ProcessBuilder("age-keygen", "-o", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("# public key: "))
                .map(l -> l.substring("# public key: ".length())).findFirst().orElseThrow();
    }

    /** SHA-256 of bytes, as hex. */
    private static final class Checksums256 {
        static String of(byte[] bytes) {
            return java.util.HexFormat.of().formatHex(io.managedb.files.Checksums.sha256().digest(bytes));
        }
    }
}
