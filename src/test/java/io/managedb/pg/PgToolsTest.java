package io.managedb.pg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PgToolsTest {
    @Test
    void debiansPgWrapperOnPathIsReplacedByTheBinaryItWouldRun(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")), "a Debian-style PostgreSQL install");
        Path wrapper = dir.resolve("pg_wrapper");
        Files.writeString(wrapper, "#!/bin/sh\nexit 9\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("pg_dump"), wrapper);
        try (ProcessRunner runner = new ProcessRunner()) {
            PgTools tools = new PgTools(null, Map.of("PATH", bin.toString()), runner);
            Path found = tools.path(PgTool.PG_DUMP);
            assertThat(found.toString()).startsWith("/usr/lib/postgresql/").endsWith("/bin/pg_dump");
            assertThat(tools.version(PgTool.PG_DUMP).major()).isGreaterThanOrEqualTo(12);
            assertThat(tools.localEnvironment()).containsEntry("PGSYSCONFDIR", "/etc/postgresql-common");
        }
    }

    @Test
    void aPlainProgramOnPathIsUsedAsItIs(@TempDir Path dir) throws Exception {
        Path tool = dir.resolve("pg_restore");
        Files.writeString(tool, "#!/bin/sh\necho 'pg_restore (PostgreSQL) 15.4'\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ProcessRunner runner = new ProcessRunner()) {
            PgTools tools = new PgTools(null, Map.of("PATH", dir.toString()), runner);
            assertThat(tools.path(PgTool.PG_RESTORE)).isEqualTo(tool);
            assertThat(tools.localEnvironment()).doesNotContainKey("PGSYSCONFDIR");
        }
    }
}
