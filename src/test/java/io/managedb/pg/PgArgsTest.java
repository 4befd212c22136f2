package io.managedb.pg;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact pg_dump, pg_restore and psql argument lists each command builds (no server, nothing run). */
class PgArgsTest {
    private static final Path FILE = Path.of("/backups/dev_app_20240101T000000Z.dump.partial");

    // --- pg_dump: backup (custom, plain, directory x full, schema-only, data-only x jobs, compress, snapshot)

    @Test
    void backupCustomFull() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).verbose().snapshot("00000003-1").toList())
                .containsExactly("--format=c", "--verbose", "--snapshot=00000003-1");
    }

    @Test
    void backupCustomSchemaOnlyCompressed() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).verbose().snapshot("S").compress(9)
                .scope(DumpScope.SCHEMA_ONLY).toList())
                .containsExactly("--format=c", "--verbose", "--snapshot=S", "--compress=9", "--schema-only");
    }

    @Test
    void backupPlainDataOnly() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.PLAIN).verbose().snapshot("S").compress(6)
                .scope(DumpScope.DATA_ONLY).toList())
                .containsExactly("--format=p", "--verbose", "--snapshot=S", "--compress=6", "--data-only");
    }

    @Test
    void backupPlainUncompressed() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.PLAIN).compress(0).toList())
                .containsExactly("--format=p", "--compress=0");
    }

    @Test
    void backupDirectoryJobsWritesItsOwnFile() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.DIRECTORY).verbose().snapshot("S").compress(1).jobs(4)
                .scope(DumpScope.SCHEMA_ONLY).file(FILE).toList())
                .containsExactly("--format=d", "--verbose", "--snapshot=S", "--compress=1", "--jobs=4",
                        "--schema-only", "--file=" + FILE);
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.DIRECTORY).jobs(1).file(FILE).toList())
                .as("one job is pg_dump's default: not written").containsExactly("--format=d", "--file=" + FILE);
    }

    @Test
    void dumpRefusesWhatPgDumpWouldRefuse() {
        assertThatThrownBy(() -> PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).jobs(2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PgDumpArgs.format(PgDumpArgs.Format.DIRECTORY).toList())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PgDumpArgs.format(PgDumpArgs.Format.PLAIN).compress(10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PgDumpArgs.format(PgDumpArgs.Format.PLAIN).jobs(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void immutable() {
        PgDumpArgs base = PgDumpArgs.format(PgDumpArgs.Format.CUSTOM);
        base.verbose().snapshot("S").tables(List.of("t"));
        assertThat(base.toList()).containsExactly("--format=c");
    }

    // --- pg_dump: copy

    @Test
    void copyStreamDumpWithSelection() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).verbose().snapshot("S").compress(0)
                .scope(DumpScope.FULL).tables(List.of("public.a*", "b")).excludeTables(List.of("public.log"))
                .excludeTableData(List.of("audit.*")).toList())
                .containsExactly("--format=c", "--verbose", "--snapshot=S", "--compress=0", "--table=public.a*",
                        "--table=b", "--exclude-table=public.log", "--exclude-table-data=audit.*");
    }

    @Test
    void copyStreamDumpSchemaOnly() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).verbose().snapshot("S").compress(0)
                .scope(DumpScope.SCHEMA_ONLY).toList())
                .containsExactly("--format=c", "--verbose", "--snapshot=S", "--compress=0", "--schema-only");
    }

    @Test
    void copyTableSelectionDump() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).scope(DumpScope.SCHEMA_ONLY)
                .tables(List.of("x.*")).excludeTables(List.of("x.y", "x.z")).toList())
                .containsExactly("--format=c", "--schema-only", "--table=x.*", "--exclude-table=x.y",
                        "--exclude-table=x.z");
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).scope(DumpScope.SCHEMA_ONLY)
                .tables(List.of()).excludeTables(List.of()).toList())
                .containsExactly("--format=c", "--schema-only");
    }

    @Test
    void copyDataOnlyDump() {
        PgDumpArgs data = PgDumpArgs.format(PgDumpArgs.Format.PLAIN).verbose().snapshot("S")
                .scope(DumpScope.DATA_ONLY).tables(List.of("\"public\".\"Orders\"", "\"a\".\"b\""))
                .excludeTableData(List.of("a.big"));
        assertThat(data.toList()).containsExactly("--format=p", "--verbose", "--snapshot=S", "--data-only",
                "--table=\"public\".\"Orders\"", "--table=\"a\".\"b\"", "--exclude-table-data=a.big");
        assertThat(data.disableTriggers().toList()).as("as superuser").containsExactly("--format=p", "--verbose",
                "--snapshot=S", "--data-only", "--disable-triggers", "--table=\"public\".\"Orders\"",
                "--table=\"a\".\"b\"", "--exclude-table-data=a.big");
    }

    @Test
    void parallelCopySchemaDump() {
        Path archive = Path.of("/tmp/manage-db-copy-1/schema.dump");
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).snapshot("S").scope(DumpScope.SCHEMA_ONLY)
                .tables(List.of("t")).excludeTables(List.of("u")).file(archive).toList())
                .containsExactly("--format=c", "--snapshot=S", "--schema-only", "--table=t", "--exclude-table=u",
                        "--file=" + archive);
    }

    @Test
    void parallelCopyLargeObjectsDump() {
        assertThat(PgDumpArgs.format(PgDumpArgs.Format.CUSTOM).snapshot("S").compress(0)
                .scope(DumpScope.DATA_ONLY).excludeTableData(List.of("*.*")).toList())
                .containsExactly("--format=c", "--snapshot=S", "--compress=0", "--data-only",
                        "--exclude-table-data=*.*");
    }

    // --- pg_restore

    @Test
    void restoreArchive() {
        Path dump = Path.of("/b/prod.dump");
        assertThat(PgRestoreArgs.into("mdb_scratch").verbose().keepOwnership(false).jobs(1).archive(dump).toList())
                .containsExactly("--exit-on-error", "--verbose", "--no-owner", "--no-acl", "--dbname=mdb_scratch",
                        dump.toString());
        assertThat(PgRestoreArgs.into("db").verbose().keepOwnership(false).jobs(4).archive(dump).toList())
                .containsExactly("--exit-on-error", "--verbose", "--no-owner", "--no-acl", "--dbname=db",
                        "--jobs=4", dump.toString());
        assertThat(PgRestoreArgs.into("db").verbose().keepOwnership(true).jobs(2).archive(dump).toList())
                .as("--keep-ownership").containsExactly("--exit-on-error", "--verbose", "--dbname=db", "--jobs=2",
                        dump.toString());
    }

    @Test
    void copyStreamRestoreFromStdin() {
        assertThat(PgRestoreArgs.into("scratch").verbose().toList())
                .containsExactly("--exit-on-error", "--verbose", "--no-owner", "--no-acl", "--dbname=scratch");
        assertThat(PgRestoreArgs.into("scratch").toList()).as("ParallelCopy's large objects")
                .containsExactly("--exit-on-error", "--no-owner", "--no-acl", "--dbname=scratch");
    }

    @Test
    void parallelCopySections() {
        Path archive = Path.of("/tmp/c/schema.dump");
        Path list = Path.of("/tmp/c/post-data.list");
        PgRestoreArgs base = PgRestoreArgs.into("scratch");
        assertThat(base.section(PgRestoreArgs.Section.PRE_DATA).archive(archive).toList())
                .containsExactly("--exit-on-error", "--no-owner", "--no-acl", "--dbname=scratch",
                        "--section=pre-data", archive.toString());
        assertThat(base.section(PgRestoreArgs.Section.POST_DATA).useList(list).jobs(3).archive(archive).toList())
                .containsExactly("--exit-on-error", "--no-owner", "--no-acl", "--dbname=scratch",
                        "--section=post-data", "--use-list=" + list, "--jobs=3", archive.toString());
        assertThat(base.section(PgRestoreArgs.Section.POST_DATA).useList(list).jobs(1).archive(archive).toList())
                .containsExactly("--exit-on-error", "--no-owner", "--no-acl", "--dbname=scratch",
                        "--section=post-data", "--use-list=" + list, archive.toString());
        assertThat(base.sections(PgRestoreArgs.Section.PRE_DATA, PgRestoreArgs.Section.DATA).archive(archive).toList())
                .as("a one-job restore's first part").containsExactly("--exit-on-error", "--no-owner", "--no-acl",
                        "--dbname=scratch", "--section=pre-data", "--section=data", archive.toString());
        assertThat(base.useList(list).archive(archive).toList()).as("one table's indexes")
                .containsExactly("--exit-on-error", "--no-owner", "--no-acl", "--dbname=scratch",
                        "--use-list=" + list, archive.toString());
    }

    @Test
    void readabilityChecks() {
        Path dump = Path.of("/b/x.dump");
        assertThat(PgRestoreArgs.list().archive(dump).toList()).containsExactly("--list", dump.toString());
        assertThat(PgRestoreArgs.list().toList()).as("from stdin").containsExactly("--list");
        assertThat(PgRestoreArgs.readAll().archive(dump).toList()).containsExactly("--file=/dev/null",
                dump.toString());
    }

    @Test
    void restoreRefusesWhatPgRestoreWouldRefuse() {
        assertThatThrownBy(() -> PgRestoreArgs.into("db").jobs(2).toList()).as("--jobs from stdin")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PgRestoreArgs.list().jobs(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PgRestoreArgs.into("")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- psql

    @Test
    void psqlPlainRestore() {
        assertThat(PsqlArgs.into("scratch").toList())
                .containsExactly("-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname=scratch", "-f", "-");
    }

    @Test
    void psqlDataOnlyCopy() {
        assertThat(PsqlArgs.into("app").singleTransaction().command("TRUNCATE \"public\".\"a\", \"b\".\"c\"")
                .toList())
                .containsExactly("-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--dbname=app", "-c",
                        "TRUNCATE \"public\".\"a\", \"b\".\"c\"", "-f", "-");
    }

    @Test
    void psqlCommandIsSqlOnly() {
        assertThatThrownBy(() -> PsqlArgs.into("app").command("\\! rm -rf /"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
