package io.managedb.pg;

import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With several client versions installed, each server gets the oldest one at least as new as itself. */
class ClientChoiceTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static Path real;
    private static Path old;
    private static Path newer;

    @BeforeAll
    static void clients() throws Exception {
        try (ProcessRunner runner = new ProcessRunner()) {
            real = new PgTools((Path) null, System.getenv(), runner).path(PgTool.PG_DUMP).getParent();
        }
        old = Files.createDirectories(pg.dir().resolve("pg12/bin"));
        newer = Files.createDirectories(pg.dir().resolve("pg99/bin"));
        for (String tool : new String[] {"pg_dump", "pg_restore", "psql"}) {
            script(old.resolve(tool), "if [ \"$1\" = --version ]; then echo '" + tool + " (PostgreSQL) 12.3'; exit 0; fi\n"
                    + "echo 'an old client must not run' >&2; exit 9\n");
            // a newer client: answers 99 and otherwise runs the real one
            script(newer.resolve(tool), "if [ \"$1\" = --version ]; then echo '" + tool + " (PostgreSQL) 99.1'; exit 0;"
                    + " fi\nexec " + real.resolve(tool) + " \"$@\"\n");
        }
        pg.sql("test", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 100) g");
    }

    private static void script(Path path, String body) throws Exception {
        Files.writeString(path, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Map<String, String> env(Path... dirs) {
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_PG_BIN", String.join(":", java.util.Arrays.stream(dirs).map(Path::toString).toList()));
        env.put("MANAGE_DB_BACKUP_DIR", pg.dir().resolve("backups").toString());
        return env;
    }

    @Test
    void theOldestClientThatIsAtLeastTheServersVersionIsUsed() {
        Map<String, String> all = env(old, newer, real);
        Run check = pg.run(all, "check", "-e", "test");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains(real.resolve("pg_dump").toString()).doesNotContain(newer.toString());
        Run backup = pg.run(all, "backup", "-e", "test");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        Run copy = pg.run(all, "copy", "--from", "test", "--to", "dev", "-y", "--no-safety-backup");
        assertThat(copy.exitCode()).as(copy.toString()).isZero();
        assertThat(pg.query("dev", "SELECT count(*) FROM t")).isEqualTo("100");

        // without the real one, the newer client serves (and works), never the old one
        Map<String, String> oldAndNew = env(old, newer);
        Run viaNewer = pg.run(oldAndNew, "backup", "-e", "test");
        assertThat(viaNewer.exitCode()).as(viaNewer.toString()).isZero();
        assertThat(pg.run(oldAndNew, "check", "-e", "test").out()).contains(newer.resolve("pg_dump").toString());
    }

    @Test
    void noClientNewEnoughIsAConfigurationErrorBeforeAnythingRuns() throws Exception {
        Path older = Files.createDirectories(pg.dir().resolve("pg11/bin"));
        for (String tool : new String[] {"pg_dump", "pg_restore", "psql"}) {
            script(older.resolve(tool), "echo '" + tool + " (PostgreSQL) 11.9'\n");
        }
        Map<String, String> env = env(old, older);
        Run backup = pg.run(env, "backup", "-e", "test");
        assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(3);
        assertThat(backup.err().strip()).doesNotContain("\n").contains("PostgreSQL 15").contains("12.3")
                .contains("11.9").contains("postgresql-client-15").contains("MANAGE_DB_PG_BIN");
        assertThat(pg.dir().resolve("backups")).doesNotExist();
        Run copy = pg.run(env, "copy", "--from", "test", "--to", "dev", "-y");
        assertThat(copy.exitCode()).as(copy.toString()).isEqualTo(3);
    }
}
