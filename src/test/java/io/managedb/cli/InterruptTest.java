package io.managedb.cli;

import io.managedb.testing.Fingerprint;
import io.managedb.testing.Jvm;
import io.managedb.testing.PgEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM stops manage-db with exit 143 and a message saying so; its children die and nothing is left. */
class InterruptTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    /** Scratch databases of this class's dev database (the server is shared with every test class). */
    private static String scratchDatabases() {
        String db = pg.database("dev");
        return pg.query("dev", "SELECT count(*) FROM pg_database WHERE datname LIKE '"
                + io.managedb.db.ScratchNames.pattern(db, "new") + "' OR datname LIKE '"
                + io.managedb.db.ScratchNames.pattern(db, "old") + "'");
    }

    @Test
    void sigtermDuringACopySaysSoAndLeavesTheTargetAsItWas() throws Exception {
        pg.sql("test", "CREATE TABLE orders AS SELECT g AS id FROM generate_series(1, 1000) g");
        pg.sql("dev", "CREATE TABLE mine (x int); INSERT INTO mine VALUES (1)");
        Fingerprint before = Fingerprint.of(pg, "dev");
        Path stderr = pg.dir().resolve("copy.err");
        Map<String, String> env = pg.env();
        try (Connection blocker = pg.connect("test"); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Process p = Jvm.start(pg.dir(), env, stderr, "copy", "--from", "test", "--to", "dev", "-y",
                    "--no-safety-backup");
            Jvm.await("the copy's pg_dump to wait for the lock", 60_000, () -> !scratchDatabases().equals("0")
                    && p.descendants().anyMatch(h -> h.info().command().orElse("").endsWith("pg_dump")));
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            assertThat(p.waitFor()).isEqualTo(143);
            blocker.rollback();
            assertThat(children).allSatisfy(c -> assertThat(c.isAlive()).as(c.info().toString()).isFalse());
        }
        String err = Files.readString(stderr).strip();
        assertThat(err).contains("interrupted (SIGTERM)").doesNotContain("\n").doesNotContain("pg_restore failed")
                .doesNotContain("pg_dump failed");
        assertThat(Fingerprint.of(pg, "dev")).isEqualTo(before);
        assertThat(scratchDatabases()).isEqualTo("0");
    }
}
