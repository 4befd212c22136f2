package io.managedb.backup;

import io.managedb.files.Checksums;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Encryption at rest with age: backups encrypted while they stream, restored and verified with the identity, and
 * interoperable with the {@code age} command-line tool both ways (.ci/run installs it).
 */
class EncryptedBackupTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static Path key;
    private static String recipient;
    private static Path otherKey;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(onPath("age") && onPath("age-keygen"), "the age tool is installed (.ci/run installs it)");
        Datasets.load(pg, "test", "northwind");
        key = pg.dir().resolve("backup.key");
        recipient = keygen(key);
        otherKey = pg.dir().resolve("other.key");
        keygen(otherKey);
    }

    private static Map<String, String> env(Path dir, boolean withIdentity) {
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_BACKUP_DIR", dir.toString());
        env.put("MANAGE_DB_BACKUP_RECIPIENTS", recipient);
        if (withIdentity) {
            env.put("MANAGE_DB_BACKUP_IDENTITY", key.toString());
        }
        return env;
    }

    private static Path backup(Map<String, String> env, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("backup", "-e", "test", "--json"));
        args.addAll(List.of(extra));
        Run run = pg.run(env, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return Path.of(new ObjectMapper().readTree(run.out()).get("path").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom", "plain"})
    void anEncryptedBackupIsAnAgeFileWithAManifestAndRestoresWithTheIdentity(String format) throws Exception {
        Path dir = pg.dir().resolve("enc-" + format);
        // the host that takes backups has only the public key
        Path file = backup(env(dir, false), "--format", format);
        assertThat(file.getFileName().toString()).endsWith(format.equals("custom") ? ".dump.age" : ".sql.gz.age");
        assertThat(new String(Files.readAllBytes(file), 0, 21, StandardCharsets.US_ASCII))
                .isEqualTo("age-encryption.org/v1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("nothing else, no plaintext")
                    .containsExactlyInAnyOrder(file.getFileName().toString(), file.getFileName() + ".json");
        }
        String manifestText = Files.readString(Manifests.of(file));
        assertThat(manifestText).as("fingerprints, never keys").doesNotContain(recipient);
        Manifest m = Manifests.read(file);
        assertThat(m.encryption().format()).isEqualTo("age");
        assertThat(m.encryption().recipients()).containsExactly(BackupKeys.fingerprint(recipient));
        assertThat(m.sha256()).isEqualTo(Checksums.of(file));
        assertThat(m.sizeBytes()).isEqualTo(Files.size(file));
        // the age tool decrypts ours, to the plaintext the manifest describes
        byte[] plain = exec(Map.of(), null, "age", "-d", "-i", key.toString(), file.toString());
        assertThat(sha256(plain)).isEqualTo(m.plaintextSha256());
        assertThat(new String(plain, 0, 5, StandardCharsets.ISO_8859_1))
                .startsWith(format.equals("custom") ? "PGDMP" : "\u001f\u008b");

        // without the identity, verify checks the ciphertext and says it did not decrypt
        Run verify = pg.run(env(dir, false), "backup", "verify", file.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("size and SHA-256 match", "not checked: the backup is encrypted");
        Run deepNoKey = pg.run(env(dir, false), "backup", "verify", file.toString(), "--deep", "-e", "test");
        assertThat(deepNoKey.exitCode()).as(deepNoKey.toString()).isEqualTo(7);
        Run deep = pg.run(env(dir, true), "backup", "verify", file.toString(), "--deep", "-e", "test");
        assertThat(deep.exitCode()).as(deep.toString()).isZero();
        assertThat(deep.out()).contains("decrypted as a stream", "row counts of");

        Run list = pg.run(env(dir, false), "backup", "list", "-e", "test");
        assertThat(list.out()).contains(file.getFileName().toString()).doesNotContain("no-manifest");

        Fingerprint before = Fingerprint.of(pg, "test");
        pg.sql("test", "DELETE FROM order_details");
        Run restore = pg.run(env(dir, true), "restore", file.toString(), "-e", "test", "-y");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        Fingerprint after = Fingerprint.of(pg, "test");
        assertThat(after.tables()).isEqualTo(before.tables());
        assertThat(after.schema()).isEqualTo(before.schema());
        assertThat(restore.out() + restore.err()).doesNotContain("AGE-SECRET-KEY");
        // the safety backup taken before the restore is encrypted too
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("pre-restore"))
                    .toList()).isNotEmpty().allMatch(n -> n.endsWith(".age") || n.endsWith(".age.json"));
        }
    }

    @Test
    void aWrongOrMissingIdentityLeavesTheTargetUnchanged() throws Exception {
        Path dir = pg.dir().resolve("enc-wrong");
        Path file = backup(env(dir, false));
        pg.sql("test", "CREATE TABLE marker (x int)");
        Map<String, String> wrong = env(dir, false);
        wrong.put("MANAGE_DB_BACKUP_IDENTITY", otherKey.toString());
        Run run = pg.run(wrong, "restore", file.toString(), "-e", "test", "-y");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.err()).contains("cannot decrypt", otherKey.toString()).doesNotContain("AGE-SECRET-KEY");
        Run none = pg.run(env(dir, false), "restore", file.toString(), "-e", "test", "-y");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(3);
        assertThat(none.err()).contains("MANAGE_DB_BACKUP_IDENTITY");
        assertThat(pg.query("test", "SELECT to_regclass('marker') IS NOT NULL")).isEqualTo("t");
        pg.sql("test", "DROP TABLE marker");
    }

    @Test
    void aChangedOrTruncatedCiphertextIsRefused() throws Exception {
        Path dir = pg.dir().resolve("enc-bad");
        Path file = backup(env(dir, true));
        byte[] bytes = Files.readAllBytes(file);
        // with the manifest: its checksum catches it before anything is decrypted
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        Run run = pg.run(env(dir, true), "backup", "verify", file.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.out()).contains("does not match the SHA-256");
        // without one: age's authentication catches a flipped bit and a cut
        Path loose = pg.dir().resolve("loose.dump.age");
        Files.write(loose, bytes);
        Run flipped = pg.run(env(dir, true), "restore", loose.toString(), "-e", "test", "-y");
        assertThat(flipped.exitCode()).as(flipped.toString()).isEqualTo(7);
        assertThat(flipped.err()).containsAnyOf("does not decrypt", "cannot decrypt");
        bytes[bytes.length / 2] ^= 1;
        Files.write(loose, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Run cut = pg.run(env(dir, true), "restore", loose.toString(), "-e", "test", "-y");
        assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(7);
        assertThat(cut.err()).contains("damaged or truncated");
        assertThat(pg.query("test", "SELECT count(*) FROM orders")).isEqualTo("830");
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom", "plain"})
    void weRestoreWhatTheAgeToolEncrypted(String format) throws Exception {
        Path file = pg.dir().resolve("by-age-" + format + (format.equals("custom") ? ".dump.age" : ".sql.gz.age"));
        Fingerprint before = Fingerprint.of(pg, "test");
        String dump = format.equals("custom") ? "pg_dump -Fc -d \"$URL\"" : "pg_dump -d \"$URL\" | gzip";
        exec(Map.of("URL", pg.url("test"), "R", recipient, "OUT", file.toString()), null, "bash", "-c",
                "set -o pipefail; " + dump + " | age -r \"$R\" -o \"$OUT\"");
        pg.sql("test", "DELETE FROM order_details");
        Run restore = pg.run(env(pg.dir().resolve("enc-age"), true), "restore", file.toString(), "-e", "test",
                "-y", "--no-safety-backup");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(Fingerprint.of(pg, "test").tables()).isEqualTo(before.tables());
    }

    @Test
    void directoryFormatAndParallelRestoreOfAnEncryptedBackupAreRefused() throws Exception {
        Path dir = pg.dir().resolve("enc-refused");
        Run directory = pg.run(env(dir, true), "backup", "-e", "test", "--format", "directory");
        assertThat(directory.exitCode()).as(directory.toString()).isEqualTo(2);
        assertThat(directory.err()).contains("--format custom or plain");
        Path file = backup(env(dir, true));
        Run jobs = pg.run(env(dir, true), "restore", file.toString(), "-e", "test", "-y", "--jobs", "2");
        assertThat(jobs.exitCode()).as(jobs.toString()).isEqualTo(2);
        assertThat(jobs.err()).contains("--jobs 1");
    }

    @Test
    void recipientsAreValidatedAtLoadAndMayComeFromAFile() throws Exception {
        Map<String, String> bad = env(pg.dir().resolve("enc-cfg"), false);
        bad.put("MANAGE_DB_BACKUP_RECIPIENTS", "age1notakey");
        Run run = pg.run(bad, "backup", "-e", "test");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("MANAGE_DB_BACKUP_RECIPIENTS");
        Path recipients = Files.writeString(pg.dir().resolve("recipients.txt"), "# ops\n" + recipient + "\n");
        Map<String, String> fromFile = env(pg.dir().resolve("enc-cfg"), false);
        fromFile.put("MANAGE_DB_BACKUP_RECIPIENTS", recipients.toString());
        Path file = backup(fromFile);
        assertThat(Manifests.read(file).encryption().recipients()).hasSize(1);
    }

    private static String keygen(Path file) throws Exception {
        exec(Map.of(), null, "age-keygen", "-o", file.toString());
        String text = Files.readString(file);
        return text.replaceAll("(?s).*# public key: (age1[0-9a-z]+).*", "$1");
    }

    private static byte[] exec(Map<String, String> env, Path stdin, String... cmd) throws Exception {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        b.environment().putAll(env);
        if (stdin != null) {
            b.redirectInput(stdin.toFile());
        }
        Process p = b.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(String.join(" ", cmd)).isTrue();
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Checksums.sha256().digest(bytes));
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
