package io.managedb.config;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DotEnvTest {
    @Test
    void parsesWhatDotenvUsersWrite() {
        Map<String, String> v = DotEnv.parse("\uFEFF# comment\r\n\r\nA=1\r\nexport B = two words # trailing\r\n"
                + "C='single # not a comment'\nD=\"double \\\"q\\\" \\n\"\nE=\nF=x=y\n", "f");
        assertThat(v).containsEntry("A", "1").containsEntry("B", "two words")
                .containsEntry("C", "single # not a comment").containsEntry("D", "double \"q\" \n")
                .containsEntry("E", "").containsEntry("F", "x=y");
    }

    @Test
    void malformedLineNamesFileAndLineButNotTheContent() {
        assertThatThrownBy(() -> DotEnv.parse("A=1\nB='unterminated secret\n", "/x/.env"))
                .isInstanceOf(ManageDbException.class)
                .hasMessage("/x/.env:2: malformed line (expected KEY=value)")
                .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThatThrownBy(() -> DotEnv.parse("just words", "f")).hasMessage("f:1: malformed line (expected KEY=value)");
    }

    @Test
    void writeReplacesOrAppendsKeepingEverythingElse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".env");
        DotEnv.write(file, "MANAGE_DB_ENV", "test");
        assertThat(Files.readString(file)).isEqualTo("MANAGE_DB_ENV=test\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("a new .env is private")
                .isEqualTo("rw-------");
        Files.writeString(file, "\uFEFF# c\r\nexport MANAGE_DB_ENV=dev\r\nX=1\r\n");
        DotEnv.write(file, "MANAGE_DB_ENV", "prod");
        assertThat(Files.readString(file)).isEqualTo("\uFEFF# c\r\nMANAGE_DB_ENV=prod\r\nX=1\r\n");
    }
}
