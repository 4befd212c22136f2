package io.managedb.backup;

import io.managedb.core.ManageDbException;
import io.managedb.pg.PgTool;
import io.managedb.pg.ToolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What reaches psql from a plain file: vetted whole statements after our own restrict key, nothing else. */
class PlainFileTest {
    private static final String TRAILER = "\n--\n-- PostgreSQL database dump complete\n--\n";

    @TempDir
    Path dir;

    @Test
    void createPreambleAndFileKeysAreLeftOutAndOurKeyComesFirst() throws Exception {
        Path file = Files.writeString(dir.resolve("d.sql"), "\\restrict FILEKEY\nSET client_encoding = 'UTF8';\n"
                + "DROP DATABASE \"Weird Name\";\nCREATE DATABASE \"Weird Name\" WITH TEMPLATE = template0;\n"
                + "ALTER DATABASE \"Weird Name\" OWNER TO postgres;\n\\unrestrict FILEKEY\n\\encoding UTF8\n"
                + "\\connect -reuse-previous=on \"dbname='Weird Name'\"\n\\restrict FILEKEY\n"
                + "CREATE TABLE t (x text);\nALTER TABLE t OWNER TO app;\nCOPY t (x) FROM stdin;\na;b\n\\.\n"
                + "COMMENT ON DATABASE \"Weird Name\" IS 'c';\n\\unrestrict FILEKEY\n" + TRAILER);
        Archive archive = new Archive(file, BackupFormat.PLAIN, null);
        PlainFile.Checked checked = PlainFile.check(archive);
        assertThat(checked.created()).isEqualTo("Weird Name");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PlainFile.stream(archive, checked, out, false, "OURKEY");
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\\restrict OURKEY\n"
                + "SET standard_conforming_strings = on;\nSET client_encoding = 'UTF8';\n"
                + "CREATE TABLE t (x text);\nCOPY t (x) FROM stdin;\na;b\n\\.\n");
    }

    @Test
    void aFileChangedAfterItsCheckFailsTheStream() throws Exception {
        Path file = Files.writeString(dir.resolve("c.sql"), "SELECT 1;\n" + TRAILER);
        Archive archive = new Archive(file, BackupFormat.PLAIN, null);
        PlainFile.Checked checked = PlainFile.check(archive);
        Files.writeString(file, "SELECT 2;\n" + TRAILER);
        assertThatThrownBy(() -> PlainFile.stream(archive, checked, new ByteArrayOutputStream(), false, null))
                .isInstanceOf(ManageDbException.class).hasMessageContaining("changed while it was being restored");
    }

    @Test
    void restrictedModeByPsqlVersion() {
        assertThat(psql("15.13", 15).restrictedMode()).isFalse();
        assertThat(psql("15.14", 15).restrictedMode()).isTrue();
        assertThat(psql("16.9", 16).restrictedMode()).isFalse();
        assertThat(psql("17.6", 17).restrictedMode()).isTrue();
        assertThat(psql("18.1", 18).restrictedMode()).isTrue();
    }

    private static ToolVersion psql(String version, int major) {
        return new ToolVersion(PgTool.PSQL, Path.of("psql"), version, major);
    }

    @Test
    void connectTargets() {
        assertThat(SqlVetter.connectTarget("app")).isEqualTo("app");
        assertThat(SqlVetter.connectTarget("-reuse-previous=on \"dbname='it\\'s'\"")).isEqualTo("it's");
        assertThat(SqlVetter.connectTarget("\"My Db\"")).isEqualTo("My Db");
        assertThat(SqlVetter.connectTarget("app postgres")).isNull();
        assertThat(SqlVetter.connectTarget("-reuse-previous=on \"dbname='x' host=evil\"")).isNull();
    }
}
