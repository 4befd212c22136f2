package io.managedb.backup;

import io.managedb.files.FileStamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog's manifest index is a cache: it never makes a changed, broken or missing manifest look good. */
class ManifestIndexTest {
    @TempDir
    Path dir;

    @TempDir
    Path cache;

    private Path index() {
        return BackupCatalog.indexFile(cache, dir);
    }

    private static final Instant OLD = Instant.parse("2024-01-01T00:00:00Z");

    private Path backup(String name, String label) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "dump");
        Manifest m = new Manifest(1, name, "prod", "app", "15.20", "15.20", "custom", "full", 4, "ab\tc",
                Instant.parse("2024-01-01T00:00:00.123456789Z"), null, 1.5, null, "0.1", label, false,
                Map.of("public.t", 3L), null, null);
        Manifests.write(file, m);
        // older than the index's racy window, as a manifest written earlier is
        Files.setLastModifiedTime(Manifests.of(file), FileTime.from(OLD));
        return file;
    }

    private List<BackupEntry> entries() {
        return new BackupCatalog(dir, BackupKeys.NONE, index()).entries();
    }

    @Test
    void aSecondListingUsesTheIndexAndGivesTheSameSummaries() throws Exception {
        backup("prod_app_20240101T000000Z.dump", "a\nlabel with \\ and \t");
        List<BackupEntry> first = entries();
        Thread.sleep(2100); // past the racy window for the change time too
        entries();
        assertThat(new String(Files.readAllBytes(index()), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("prod_app_20240101T000000Z.dump.json");
        List<BackupEntry> second = entries();
        assertThat(second).isEqualTo(first);
        assertThat(second.get(0).good()).isTrue();
        assertThat(second.get(0).manifest().label()).isEqualTo("a\nlabel with \\ and \t");
        assertThat(second.get(0).manifest().rowCounts()).as("summaries carry no row counts").isNull();
    }

    @Test
    void aManifestBrokenAfterIndexingIsBadEvenWithTheSameSizeAndTime() throws Exception {
        Path file = backup("prod_app_20240101T000000Z.dump", "x");
        entries();
        Thread.sleep(2100);
        entries();
        Path manifest = Manifests.of(file);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"manifestVersion\"", "#manifestVersion\""));
        Files.setLastModifiedTime(manifest, FileTime.from(OLD)); // same size, same time: only ctime changed
        assertThat(entries().get(0).status()).isEqualTo("bad-manifest");
    }

    @Test
    void aMissingBackupFileOrAForeignIndexIsNeverGood() throws Exception {
        Path file = backup("prod_app_20240101T000000Z.dump", "x");
        entries();
        Thread.sleep(2100);
        entries();
        Files.delete(file);
        assertThat(entries().get(0).status()).isEqualTo("missing-file");
        Files.writeString(index(), "manage-db manifest index 2\ngarbage\n");
        assertThat(entries().get(0).status()).isEqualTo("missing-file");
        assertThat(entries()).hasSize(1);
    }

    @Test
    void anIndexRoundTripsEveryFieldAndADamagedOneIsEmpty() throws Exception {
        Manifest encrypted = new Manifest(1, "prod_äpp\t\n.dump.age", "prod", "äpp", "15.20", "15.20", "custom",
                "full", 4, "ab", Instant.parse("2024-01-01T00:00:00.123456789Z"),
                Instant.parse("2024-01-01T00:00:01Z"), 1.5, "V3", "0.1", "nightly \\ \u00e9", true, null,
                new Manifest.Encryption("age", List.of("sha256:0123456789abcdef", "sha256:fedcba9876543210")), "cd");
        Manifest plain = new Manifest(1, "b.dump", "prod", "äpp", "15.20", "15.20", "directory", null, 0, "ef",
                Instant.EPOCH, null, 0, null, "0.1", null, false, null, null, null);
        Manifest oddlyEncrypted = new Manifest(1, "c.dump", "prod", "app", "15", "15", "custom", "full", 1, "ab",
                Instant.EPOCH, null, 0, null, "0.1", null, false, null, new Manifest.Encryption(null, null), null);
        Manifest nullRecipient = new Manifest(1, "d.dump", "prod", "app", "15", "15", "custom", "full", 1, "ab",
                Instant.EPOCH, null, 0, null, "0.1", null, false, null,
                new Manifest.Encryption("age", java.util.Arrays.asList("sha256:0123456789abcdef", null)), null);
        Map<String, ManifestIndex.Entry> entries = Map.of(
                "c.dump.json", new ManifestIndex.Entry(new FileStamp(1, 3, 3, 4, 5), oddlyEncrypted),
                "d.dump.json", new ManifestIndex.Entry(new FileStamp(1, 4, 3, 4, 5), nullRecipient),
                "prod_äpp\t\n.dump.age.json", new ManifestIndex.Entry(new FileStamp(1, 2, 3, 4, 5), encrypted),
                "b.dump.json", new ManifestIndex.Entry(new FileStamp(6, 7, 8, 9, 10), plain));
        byte[] bytes = ManifestIndex.bytes(entries);
        assertThat(ManifestIndex.read(bytes)).isEqualTo(entries);
        for (int i : new int[] {0, 30, bytes.length / 2, bytes.length - 1}) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= 1;
            assertThatThrownBy(() -> ManifestIndex.read(damaged)).as("byte %d flipped", i)
                    .isInstanceOf(RuntimeException.class);
        }
        assertThatThrownBy(() -> ManifestIndex.read(java.util.Arrays.copyOf(bytes, bytes.length - 9)))
                .isInstanceOf(RuntimeException.class);
        Path file = cache.resolve("index");
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertThat(ManifestIndex.load(file).lookup("b.dump.json", new FileStamp(6, 7, 8, 9, 10))).isNull();
        Files.write(file, bytes);
        assertThat(ManifestIndex.load(file).lookup("b.dump.json", new FileStamp(6, 7, 8, 9, 10))).isEqualTo(plain);
        assertThat(ManifestIndex.load(file).lookup("b.dump.json", new FileStamp(6, 7, 8, 9, 11))).isNull();
    }

    @Test
    void namesWithAQuestionMarkOrBytesTheCharsetCannotSpellAreListedAsTheyAre() throws Exception {
        backup("prod_app_20240101T000000Z.dump", "plain");
        backup("prod_app_what?.dump", "question");
        // a name with a non-ASCII letter, where the JVM's charset for file names can spell it (not in a C locale)
        boolean umlaut = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))
                .newEncoder().canEncode("\u00e4");
        if (umlaut) {
            backup("prod_\u00e4pp_20240101T000000Z.dump", "umlaut");
        }
        // a file whose name is not UTF-8 (byte 0xff), made by the shell: Java cannot name it from a String
        Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'prod_app_\\377.dump')\"")
                .directory(dir.toFile()).start();
        assertThat(touch.waitFor()).isZero();
        List<BackupEntry> entries = entries();
        List<String> expected = new java.util.ArrayList<>(List.of("plain", "question", "no-manifest"));
        if (umlaut) {
            expected.add("umlaut");
        }
        assertThat(entries).extracting(e -> e.manifest() == null ? e.status() : e.manifest().label())
                .containsExactlyInAnyOrderElementsOf(expected);
        BackupEntry odd = entries.stream().filter(e -> e.manifest() == null).findFirst().orElseThrow();
        assertThat(odd.createdAt()).as("the unspellable file is reached: its time read from the file").isAfter(OLD);
    }
}
