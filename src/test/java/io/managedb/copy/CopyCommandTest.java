package io.managedb.copy;

import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.Jvm;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class CopyCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static void freshPair(String dataset) {
        pg.addEnvironment("src");
        pg.addEnvironment("dst");
        Datasets.load(pg, "src", dataset);
        pg.sql("dst", "CREATE TABLE only_in_target (x int); ALTER DATABASE " + pg.database("dst")
                + " SET manage_db.environment = 'dst'");
    }

    private static String scratchDatabases() {
        return pg.scratchDatabaseCount();
    }

    @ParameterizedTest
    @CsvSource({"northwind, 1", "chinook, 1", "pagila, 1", "northwind, 2", "chinook, 2", "pagila, 3"})
    void aFullCopyMakesTheTargetEqualToTheSource(String dataset, String jobs) {
        freshPair(dataset);
        Fingerprint source = Fingerprint.of(pg, "src");
        Run run = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--json", "--jobs", jobs);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"rowsCopied\"", "_pre-copy.dump");
        Fingerprint target = Fingerprint.of(pg, "dst");
        assertThat(target.tables()).isEqualTo(source.tables());
        assertThat(target.sequences()).isEqualTo(source.sequences());
        assertThat(target.schema()).isEqualTo(source.schema());
        assertThat(pg.query("dst", "SELECT current_setting('manage_db.environment')")).isEqualTo("dst");
        assertThat(Fingerprint.of(pg, "src")).isEqualTo(source);
        assertThat(scratchDatabases()).isEqualTo("0");
    }

    @Test
    void parallelCopyThroughATemporaryDirectory() throws Exception {
        freshPair("pagila");
        pg.sql("src", "SELECT lo_from_bytea(0, 'large object'); REFRESH MATERIALIZED VIEW rental_by_category");
        Fingerprint source = Fingerprint.of(pg, "src");
        Run run = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--jobs", "2", "--no-safety-backup");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Fingerprint target = Fingerprint.of(pg, "dst");
        assertThat(target.tables()).isEqualTo(source.tables());
        assertThat(target.sequences()).isEqualTo(source.sequences());
        assertThat(target.schema()).isEqualTo(source.schema());
        assertThat(pg.query("dst", "SELECT count(*) FROM pg_largeobject_metadata")).isEqualTo("1");
        assertThat(pg.query("dst", "SELECT count(*) FROM rental_by_category")).isEqualTo(
                pg.query("src", "SELECT count(*) FROM rental_by_category"));
        try (var s = Files.list(pg.tmp())) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("manage-db-copy-"))).isEmpty();
        }
    }

    @Test
    void aParallelCopySplitsALargeTableAndBuildsItsIndexesAsSoonAsItsRowsAreIn() {
        freshPair("pagila");
        pg.sql("src", "CREATE TABLE big (id bigint PRIMARY KEY, note text UNIQUE, grp int, tags text[],"
                + " doubled int GENERATED ALWAYS AS (grp * 2) STORED);"
                + " INSERT INTO big (id, note, grp, tags) SELECT g, md5(g::text) || md5((g + 1)::text), g % 7,"
                + " ARRAY['t' || g % 3] FROM generate_series(1, 150000) g;"
                + " CREATE INDEX big_grp ON big (grp); COMMENT ON INDEX big_grp IS 'by group';"
                + " CREATE TABLE big_ref (big_id bigint REFERENCES big);"
                + " INSERT INTO big_ref SELECT generate_series(1, 999)");
        assertThat(Long.parseLong(pg.query("src", "SELECT pg_table_size('big')")))
                .as("large enough to be split and indexed early").isGreaterThan(ParallelCopy.LARGE_TABLE * 3 / 2);
        Fingerprint source = Fingerprint.of(pg, "src");
        Run run = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--jobs", "2", "--no-safety-backup", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"rowsCopied\" : " + pg.query("src", "SELECT sum((xpath('/row/c/text()',"
                + " query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true,"
                + " '')))[1]::text::bigint) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"));
        Fingerprint target = Fingerprint.of(pg, "dst");
        assertThat(target.tables()).isEqualTo(source.tables());
        assertThat(target.sequences()).isEqualTo(source.sequences());
        assertThat(target.schema()).isEqualTo(source.schema());
        assertThat(pg.query("dst", "SELECT count(*) FROM big WHERE doubled = grp * 2")).isEqualTo("150000");
    }

    @Test
    void aParallelCopyWhoseRowsCannotBeLoadedLeavesTheTargetAsItWas() throws Exception {
        freshPair("northwind");
        pg.sql("src", "CREATE TABLE checked (x int CHECK (x < current_setting('test.max_x')::int));"
                + " SET test.max_x = '100'; INSERT INTO checked SELECT generate_series(1, 50)");
        assertParallelCopyFailsOn("public.checked");
    }

    /** copy --jobs 2 fails on the rows of {@code table} (exit 1, one line) and leaves nothing behind. */
    private static void assertParallelCopyFailsOn(String table) throws Exception {
        Fingerprint before = Fingerprint.of(pg, "dst");
        Run run = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--jobs", "2", "--no-safety-backup");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("copying the rows of " + table + " failed", "test.max_x")
                .doesNotContain("Exception");
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
        assertThat(scratchDatabases()).isEqualTo("0");
        try (var s = Files.list(pg.tmp())) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("manage-db-copy-"))).isEmpty();
        }
    }

    @Test
    void aLargeTableWhoseRowsCannotBeLoadedLeavesTheTargetAsItWas() throws Exception {
        // a large table is split into page ranges: a failure in one fails the whole copy
        freshPair("northwind");
        pg.sql("src", "CREATE TABLE checked_big (x int CHECK (x < current_setting('test.max_x')::int), pad text);"
                + " SET test.max_x = '1000000'; INSERT INTO checked_big SELECT g, md5(g::text) || md5(g::text)"
                + " FROM generate_series(1, 120000) g");
        assertThat(Long.parseLong(pg.query("src", "SELECT pg_table_size('checked_big')")))
                .isGreaterThan(ParallelCopy.LARGE_TABLE);
        assertParallelCopyFailsOn("public.checked_big");
    }

    @Test
    void schemaOnlyThenDataOnlyWithPatterns() {
        freshPair("northwind");
        Fingerprint source = Fingerprint.of(pg, "src");
        Run schema = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--schema-only");
        assertThat(schema.exitCode()).as(schema.toString()).isZero();
        Fingerprint empty = Fingerprint.of(pg, "dst");
        assertThat(empty.schema()).isEqualTo(source.schema());
        assertThat(empty.tables().values()).allMatch(v -> v.startsWith("0:"));

        Run one = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--data-only", "--table", "public.us_stat*");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        Fingerprint partial = Fingerprint.of(pg, "dst");
        assertThat(partial.tables().get("public.us_states")).isEqualTo(source.tables().get("public.us_states"));
        assertThat(partial.tables().get("public.orders")).startsWith("0:");

        Run all = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--data-only", "--exclude-table-data", "orders",
                "--exclude-table-data", "order_details");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        Fingerprint data = Fingerprint.of(pg, "dst");
        assertThat(data.tables().get("public.customers")).isEqualTo(source.tables().get("public.customers"));
        assertThat(data.tables().get("public.orders")).startsWith("0:");

        Run full = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--data-only");
        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(Fingerprint.of(pg, "dst").tables()).isEqualTo(source.tables());
        assertThat(Fingerprint.of(pg, "dst").sequences()).isEqualTo(source.sequences());
    }

    @Test
    void excludeTableAndExcludeTableData() {
        freshPair("chinook");
        Run run = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--exclude-table", "playlist_track",
                "--exclude-table-data", "invoice_line");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(pg.query("dst", "SELECT to_regclass('playlist_track')")).isNull();
        assertThat(pg.query("dst", "SELECT count(*) FROM invoice_line")).isEqualTo("0");
        assertThat(pg.query("dst", "SELECT count(*) FROM track")).isEqualTo(pg.query("src", "SELECT count(*) FROM track"));
    }

    @Test
    void dataOnlyRefusesDifferentSchemasNamingTheFirstDifference() {
        freshPair("northwind");
        assertThat(pg.run("copy", "--from", "src", "--to", "dst", "-y", "--schema-only").exitCode()).isZero();
        pg.sql("dst", "ALTER TABLE shippers ALTER COLUMN phone TYPE text");
        Fingerprint before = Fingerprint.of(pg, "dst");
        Run run = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--data-only");
        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).contains("schemas differ for table public.shippers: column 3 is phone character varying(24)"
                + " in the source but phone text in the target");
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
    }

    @Test
    void aDataOnlyCopyBlockedByAForeignKeyIsRefusedUpFrontNamingTheTable() {
        freshPair("northwind");
        assertThat(pg.run("copy", "--from", "src", "--to", "dst", "-y", "--no-safety-backup").exitCode()).isZero();
        pg.sql("dst", "DELETE FROM order_details; CREATE TABLE refs (id smallint REFERENCES categories); INSERT INTO refs VALUES (1)");
        Fingerprint before = Fingerprint.of(pg, "dst");
        Run run = pg.run("copy", "--from", "src", "--to", "dst", "-y", "--data-only", "--no-safety-backup",
                "--exclude-table", "refs");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.err()).contains("cannot replace the rows of public.categories: public.refs references it"
                + " (foreign key refs_id_fkey) and is not part of the copy; stop excluding it (--exclude-table),"
                + " or copy without --data-only; nothing was copied").doesNotContain("ERROR:", "DETAIL", "psql");
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
    }

    @Test
    void refusedDataOnlyCopiesLeaveNoSafetyBackupBehind() throws Exception {
        freshPair("pagila");
        Path backups = pg.dir().resolve("refused-copies");
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_BACKUP_DIR", backups.toString());
        assertThat(pg.run(env, "copy", "--from", "src", "--to", "dst", "-y", "--no-safety-backup").exitCode()).isZero();
        Fingerprint before = Fingerprint.of(pg, "dst");
        for (int i = 0; i < 3; i++) {
            Run run = pg.run(env, "copy", "--from", "src", "--to", "dst", "-y", "--data-only", "--table",
                    "public.customer", "--table", "public.payment*");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
            assertThat(run.err()).contains("cannot replace the rows of public.customer: public.rental references it"
                    + " (foreign key rental_customer_id_fkey) and is not part of the copy; add --table public.rental,"
                    + " or copy without --data-only; nothing was copied").doesNotContain("ERROR:", "DETAIL");
        }
        pg.sql("dst", "ALTER TABLE actor ADD COLUMN extra int");
        Run differs = pg.run(env, "copy", "--from", "src", "--to", "dst", "-y", "--data-only", "--table", "actor");
        assertThat(differs.exitCode()).as(differs.toString()).isEqualTo(5);
        assertThat(differs.err()).contains("schemas differ for table public.actor");
        pg.sql("dst", "ALTER TABLE actor DROP COLUMN extra");
        assertThat(Fingerprint.of(pg, "dst").tables()).isEqualTo(before.tables());
        assertThat(backups.toFile().list()).as("no pre-copy backup left by a refused copy").isNullOrEmpty();
    }

    @Test
    void excludeTableDataThatAForeignKeyNeedsIsRefusedUpFront() throws Exception {
        freshPair("pagila");
        Path backups = pg.dir().resolve("refused-exclude");
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_BACKUP_DIR", backups.toString());
        assertThat(pg.run(env, "copy", "--from", "src", "--to", "dst", "-y", "--no-safety-backup").exitCode()).isZero();
        Fingerprint before = Fingerprint.of(pg, "dst");
        Run run = pg.run(env, "copy", "--from", "src", "--to", "dst", "-y", "--exclude-table-data", "customer");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.err().strip()).as("one line").doesNotContain("\n")
                .contains("cannot copy the rows of public.payment_p2022_01 without those of public.customer: they"
                        + " reference it (foreign key payment_p2022_01_customer_id_fkey), so the foreign key would fail;"
                        + " add --exclude-table-data public.payment_p2022_01, or copy the rows of public.customer too;"
                        + " nothing was copied");
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
        assertThat(backups.toFile().list()).as("no pre-copy backup left by a refused copy").isNullOrEmpty();
        // rows that reference nothing (all NULL) do not stand in the way
        pg.sql("src", "CREATE TABLE parent (id int PRIMARY KEY); INSERT INTO parent VALUES (1);"
                + " CREATE TABLE child (pid int REFERENCES parent); INSERT INTO child VALUES (NULL)");
        Run ok = pg.run(env, "copy", "--from", "src", "--to", "dst", "-y", "--no-safety-backup",
                "--exclude-table-data", "parent");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(pg.query("dst", "SELECT count(*) FROM child")).isEqualTo("1");
        assertThat(pg.query("dst", "SELECT count(*) FROM parent")).isEqualTo("0");
    }

    @Test
    void aDryRunFromAnEmptySourceSaysThereIsNothingToCopy() {
        pg.addEnvironment("src");
        pg.addEnvironment("dst");
        Run dry = pg.run("copy", "--from", "src", "--to", "dst", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out().strip()).doesNotEndWith(":").startsWith("would copy no table: src (")
                .contains("has none", "would replace all of database " + pg.database("dst") + " in dst");
    }

    @Test
    void aCopyWhoseRestoreSideFailsLeavesTheTargetAsItWas() throws Exception {
        freshPair("northwind");
        Path bin = Files.createTempDirectory(pg.dir(), "bin");
        for (String tool : new String[] {"pg_dump", "psql"}) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which(tool)));
        }
        Path restore = bin.resolve("pg_restore");
        Files.writeString(restore, "#!/bin/sh\n" + which("pg_restore") + " \"$@\" || exit $?\n"
                + "case \"$*\" in *--dbname*) echo 'pg_restore: error: simulated failure after the restore' >&2; exit 1;; esac\n");
        Files.setPosixFilePermissions(restore, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_PG_BIN", bin.toString());
        Fingerprint before = Fingerprint.of(pg, "dst");
        Run run = pg.run(env, "copy", "--from", "src", "--to", "dst", "-y", "--no-safety-backup");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("simulated failure");
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
        assertThat(scratchDatabases()).isEqualTo("0");
    }

    @Test
    @Timeout(180)
    void aSourceKilledMidWayLeavesTheTargetAsItWas() throws Exception {
        freshPair("northwind");
        Fingerprint before = Fingerprint.of(pg, "dst");
        try (Connection blocker = pg.connect("src"); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Run> copy = CompletableFuture.supplyAsync(
                    () -> pg.run("copy", "--from", "src", "--to", "dst", "-y", "--no-safety-backup"));
            Jvm.await("pg_dump to wait for its lock", 30_000, () -> !pg.query("src",
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND application_name = 'manage-db' AND wait_event_type = 'Lock'").equals("0"));
            // pg_dump's table selection runs beside the copy's own pg_dump: end every session that comes to wait
            while (!copy.isDone()) {
                pg.query("src", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname ="
                        + " current_database() AND application_name = 'manage-db' AND wait_event_type = 'Lock'");
                Thread.sleep(100);
            }
            Run run = copy.get();
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            blocker.rollback();
        }
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
        assertThat(scratchDatabases()).isEqualTo("0");
    }

    @Test
    void guardsSameDatabaseAndDryRun() {
        freshPair("northwind");
        Fingerprint prod = Fingerprint.of(pg, "prod");
        Run refused = pg.run("copy", "--from", "src", "--to", "prod", "-y");
        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.err()).contains("--confirm prod");
        assertThat(Fingerprint.of(pg, "prod")).isEqualTo(prod);

        Map<String, String> env = pg.env();
        env.put("ALIAS_DATABASE_URL", pg.url("src").replace("localhost", "127.0.0.1"));
        Run same = pg.run(env, "copy", "--from", "src", "--to", "alias", "-y");
        assertThat(same.exitCode()).isEqualTo(5);
        assertThat(same.err()).contains("same database");

        Fingerprint before = Fingerprint.of(pg, "dst");
        Run dry = pg.run("copy", "--from", "src", "--to", "dst", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would copy 14 table(s)", "public.orders");
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
    }

    private static String which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(tool + " not on PATH");
    }
}
