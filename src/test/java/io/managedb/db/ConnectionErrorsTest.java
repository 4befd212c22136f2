package io.managedb.db;

import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection that fails names the environment and the configured database, then the cause, never a password. */
class ConnectionErrorsTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final String SECRET = "Sup3r-s3cret";

    @BeforeAll
    static void role() {
        pg.server().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mdb_conn')"
                + " THEN CREATE ROLE mdb_conn LOGIN PASSWORD 'right-one'; END IF; END $$");
    }

    private static Run backupWith(String url) {
        Map<String, String> env = pg.env();
        env.put("BROKEN_DATABASE_URL", url);
        return pg.run(env, "backup", "-e", "broken");
    }

    private static void assertOneLine(Run run, int exit, String... parts) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
        String err = run.err().strip();
        assertThat(err).doesNotContain("\n").doesNotContain(SECRET).doesNotContain("/postgres ")
                .contains("environment broken").contains("database appdb");
        for (String p : parts) {
            assertThat(err).contains(p);
        }
    }

    @Test
    void eachCauseIsNamed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String host = pg.server().host() + ":" + pg.server().port();
        assertOneLine(backupWith("postgresql://u:" + SECRET + "@db.invalid/appdb"), 4,
                "could not resolve host db.invalid");
        assertOneLine(backupWith("postgresql://u:" + SECRET + "@127.0.0.1:" + port + "/appdb"), 4,
                "connection refused by 127.0.0.1:" + port);
        assertOneLine(backupWith("postgresql://mdb_conn:" + SECRET + "@" + host + "/appdb"), 4,
                "password authentication failed for user mdb_conn");
        assertOneLine(backupWith("postgresql://mdb_nobody:" + SECRET + "@" + host + "/appdb"), 4,
                "mdb_nobody");
        assertOneLine(backupWith("postgresql://postgres@" + host + "/appdb"), 4, "database appdb does not exist");
    }
}
