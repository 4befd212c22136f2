package io.managedb.backup;

import io.managedb.files.Checksums;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.testing.Datasets;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** backup list, verify and prune. */
class BackupCatalogCommandsTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    @BeforeAll
    static void load() {
        Datasets.load(pg, "test", "chinook");
    }

    private static Map<String, String> envWithDir(Path dir) {
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_BACKUP_DIR", dir.toString());
        return env;
    }

    private static String backup(Map<String, String> env, String... extra) {
        String[] args = Stream.concat(Stream.of("backup", "-e", "test", "--json"), Stream.of(extra))
                .toArray(String[]::new);
        Run run = pg.run(env, args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.out().replaceAll("(?s).*?\"path\" : \"([^\"]+)\".*", "$1");
    }

    @Test
    void listShowsGoodBackupsNewestFirstAndMarksTheRest() throws Exception {
        Path dir = pg.dir().resolve("l1");
        Map<String, String> env = envWithDir(dir);
        String first = backup(env, "--label", "first");
        String second = backup(env, "--label", "second");
        String prefix = "test_" + pg.database("test") + "_";
        Files.writeString(dir.resolve(prefix + "20200101T000000Z.dump"), "no manifest");
        Files.writeString(dir.resolve(prefix + "20200102T000000Z.dump.partial"), "half");
        Files.writeString(dir.resolve("notes.txt"), "foreign");
        Run list = pg.run(env, "backup", "list", "-e", "test");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        String out = list.out();
        assertThat(out.indexOf(Path.of(second).getFileName().toString()))
                .isLessThan(out.indexOf(Path.of(first).getFileName().toString()));
        assertThat(out).containsPattern("no-manifest\\s+" + prefix + "20200101T000000Z.dump")
                .containsPattern("partial\\s+" + prefix + "20200102T000000Z.dump.partial")
                .doesNotContain("notes.txt");
        Run json = pg.run(env, "backup", "list", "-e", "dev", "--json");
        assertThat(json.out()).contains("\"backups\" : [ ]");
        Run all = pg.run(env, "backup", "list", "--all", "--json");
        assertThat(all.out()).contains("\"status\" : \"ok\"", "\"status\" : \"partial\"", "\"status\" : \"no-manifest\"");
    }

    @Test
    void listShowsEachBackupsScopeAndMigrationAndPointsToOtherEnvironments() throws Exception {
        Path dir = pg.dir().resolve("l2");
        Map<String, String> env = envWithDir(dir);
        String full = Path.of(backup(env, "--label", "full")).getFileName().toString();
        String schema = Path.of(backup(env, "--schema-only", "--label", "schema")).getFileName().toString();
        String data = Path.of(backup(env, "--data-only", "--label", "data")).getFileName().toString();
        Run list = pg.run(env, "backup", "list", "-e", "test");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> lines = list.out().lines().toList();
        List<String> header = List.of(lines.get(0).split("\\s{2,}"));
        assertThat(header).contains("SCOPE", "MIGRATION").doesNotContain("SCHEMA");
        int scope = header.indexOf("SCOPE");
        Map<String, String> scopes = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\\s{2,}");
            scopes.put(cells[cells.length - 1], cells[scope]);
        }
        assertThat(scopes).containsEntry(full, "full").containsEntry(schema, "schema-only")
                .containsEntry(data, "data-only");

        JsonNode json = new ObjectMapper().readTree(pg.run(env, "backup", "list", "-e", "test", "--json").out());
        List<String> jsonScopes = new ArrayList<>();
        json.get("backups").forEach(b -> jsonScopes.add(b.get("manifest").get("scope").asText()));
        assertThat(jsonScopes).containsExactlyInAnyOrder("full", "schema-only", "data-only");

        Run dev = pg.run(env, "backup", "list", "-e", "dev");
        assertThat(dev.exitCode()).as(dev.toString()).isZero();
        assertThat(dev.out().strip()).isEqualTo("no backups of dev (database " + pg.database("dev") + ") in " + dir
                + "; 3 backup(s) of other environments there: manage-db backup list --all");
        JsonNode devJson = new ObjectMapper().readTree(pg.run(env, "backup", "list", "-e", "dev", "--json").out());
        assertThat(devJson.get("backups").size()).isZero();
        assertThat(devJson.get("otherBackups").asInt()).isEqualTo(3);
        assertThat(devJson.get("environment").asText()).isEqualTo("dev");
    }

    @Test
    void pruneWithOnlyZeroRulesSaysWhatIsWrong() {
        Path dir = pg.dir().resolve("p0");
        Run zero = pg.run(envWithDir(dir), "backup", "prune", "-e", "test", "--keep-last", "0");
        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(2);
        assertThat(zero.err()).doesNotContain("give at least one of")
                .contains("every rule given keeps 0 backups", "--keep-last 1 keeps only the newest");
        Run negative = pg.run(envWithDir(dir), "backup", "prune", "-e", "test", "--keep-daily", "-1");
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(2);
        assertThat(negative.err()).contains("--keep-daily -1: N must be 0 or more");
    }

    @Test
    void verifyChecksChecksumReadabilityAndWithDeepTheRowCounts() throws Exception {
        Path dir = pg.dir().resolve("v1");
        Map<String, String> env = envWithDir(dir);
        String path = backup(env);
        Run ok = pg.run(env, "backup", "verify", "latest", "-e", "test");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        Run deep = pg.run(env, "backup", "verify", path, "-e", "test", "--deep");
        assertThat(deep.exitCode()).as(deep.toString()).isZero();
        assertThat(deep.out()).contains("row counts of 11 tables match");
        assertThat(pg.scratchDatabaseCount()).isEqualTo("0");

        Path flipped = dir.resolve("flipped.dump");
        Files.copy(Path.of(path), flipped);
        Files.copy(Manifests.of(Path.of(path)), Manifests.of(flipped));
        try (RandomAccessFile f = new RandomAccessFile(flipped.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        Run bad = pg.run(env, "backup", "verify", flipped.toString(), "-e", "test");
        assertThat(bad.exitCode()).isEqualTo(7);
        assertThat(bad.out()).contains("FAIL  checksum").contains("does not match the SHA-256");

        Path truncated = dir.resolve("truncated.dump");
        byte[] bytes = Files.readAllBytes(Path.of(path));
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        Run trunc = pg.run(env, "backup", "verify", truncated.toString(), "-e", "test", "--deep");
        assertThat(trunc.exitCode()).isEqualTo(7);
        assertThat(trunc.out()).contains("FAIL  manifest");

        Path edited = dir.resolve("edited.dump");
        Files.copy(Path.of(path), edited);
        Files.writeString(Manifests.of(edited), Files.readString(Manifests.of(Path.of(path)))
                .replace("\"public.artist\" : 275", "\"public.artist\" : 276"));
        Run counts = pg.run(env, "backup", "verify", edited.toString(), "-e", "test", "--deep", "--json");
        assertThat(counts.exitCode()).as(counts.toString()).isEqualTo(7);
        assertThat(counts.out()).contains("table public.artist has 275 rows after restore, the manifest recorded 276");
        assertThat(pg.scratchDatabaseCount()).isEqualTo("0");

        Run missing = pg.run(env, "backup", "verify", "nope.dump", "-e", "test");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such backup");
    }

    @Test
    void pruneDeletesOnlyWhatThePolicySays() throws Exception {
        Path dir = pg.dir().resolve("p1");
        Files.createDirectories(dir);
        String db = pg.database("test");
        // daily backups of this database over 40 days, newest first: 2026-03-10 back to 2026-01-30
        Instant newest = Instant.parse("2026-03-10T02:00:00Z");
        for (int day = 0; day < 40; day++) {
            fake(dir, "test", db, newest.minusSeconds(86400L * day), false);
        }
        fake(dir, "test", db, newest.minusSeconds(86400L * 3 + 3600), true);
        fake(dir, "test", db + "_x", newest.minusSeconds(86400L * 30), false);
        fake(dir, "dev", db, newest.minusSeconds(86400L * 30), false);
        Files.writeString(dir.resolve("test_" + db + "_20200101T000000Z.dump"), "no manifest");
        Files.writeString(dir.resolve("test_" + db + "_20200102T000000Z.dump.partial"), "partial");
        Files.writeString(dir.resolve("README.txt"), "foreign");
        long before;
        try (Stream<Path> s = Files.list(dir)) {
            before = s.count();
        }
        Map<String, String> env = envWithDir(dir);
        Run dry = pg.run(env, "backup", "prune", "-e", "test", "--keep-daily", "7", "--keep-weekly", "4", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would delete", "backup(s) would be deleted");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(before);
        }
        Run prune = pg.run(env, "backup", "prune", "-e", "test", "--keep-daily", "7", "--keep-weekly", "4", "--json");
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        // 7 daily (03-04..03-10) + weekly: newest of the 4 newest ISO weeks adds 2 older ones (weeks of 03-01, 02-22)
        // + the safety backup
        var good = new BackupCatalog(dir).good("test", db);
        assertThat(good).hasSize(10);
        assertThat(good.get(0).createdAt()).isEqualTo(newest);
        assertThat(good).filteredOn(e -> e.manifest().safety()).hasSize(1);
        assertThat(new BackupCatalog(dir).good("test", db + "_x")).hasSize(1);
        assertThat(new BackupCatalog(dir).good("dev", db)).hasSize(1);
        assertThat(dir.resolve("test_" + db + "_20200101T000000Z.dump")).exists();
        assertThat(dir.resolve("test_" + db + "_20200102T000000Z.dump.partial")).exists();
        assertThat(dir.resolve("README.txt")).exists();

        Run last = pg.run(env, "backup", "prune", "-e", "test", "--keep-last", "1", "--include-safety");
        assertThat(last.exitCode()).isZero();
        assertThat(new BackupCatalog(dir).good("test", db)).hasSize(1).first()
                .satisfies(e -> assertThat(e.createdAt()).isEqualTo(newest));

        Run none = pg.run(env, "backup", "prune", "-e", "test");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("give at least one of --keep-last");
    }

    private static void fake(Path dir, String env, String db, Instant at, boolean safety) throws Exception {
        String name = BackupService.prefix(env, db) + java.time.format.DateTimeFormatter.ofPattern(
                "yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).format(at)
                + (safety ? "_pre-restore" : "") + ".dump";
        Path file = dir.resolve(name);
        Files.writeString(file, "PGDMP fake " + name);
        Manifests.write(file, new Manifest(Manifest.VERSION, name, env, db, "15", "15", "custom", "full",
                Files.size(file), Checksums.of(file), at, at.plusSeconds(1), 1.0, null, "test",
                safety ? "pre-restore" : null, safety, Map.of(), null, null));
    }
}
