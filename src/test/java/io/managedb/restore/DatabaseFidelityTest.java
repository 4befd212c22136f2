package io.managedb.restore;

import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A database replaced by restore, copy or reset comes back as it was: its locale provider and collation, its
 * environment stamp (also when its owner is not a superuser), and no other database's scratch database is touched.
 */
class DatabaseFidelityTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final String ORDER = "SELECT string_agg(w, ',' ORDER BY w) FROM words";

    @BeforeAll
    static void roles() {
        pg.server().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mdb_dbowner')"
                + " THEN CREATE ROLE mdb_dbowner LOGIN CREATEDB PASSWORD 'dbowner-pw'; END IF; END $$");
    }

    private static boolean icuAvailable() {
        return "t".equals(pg.query("dev", "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i')"));
    }

    /** Recreates the environment's database as an ICU (de-DE) database with words that sort differently in C. */
    private static void icuDatabase(String env) {
        String db = pg.database(env);
        pg.server().dropDatabase(db);
        pg.server().execute("postgres", "CREATE DATABASE " + db + " TEMPLATE template0 ENCODING 'UTF8'"
                + " LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'de-DE'");
        pg.sql(env, "CREATE TABLE words (w text); INSERT INTO words VALUES ('b'), ('A'), ('ä'), ('a'), ('Z'), ('z')");
    }

    private static String provider(String env) {
        return pg.query(env, "SELECT datlocprovider::text || ':' || coalesce(daticulocale, '') || ':' || datcollate"
                + " FROM pg_database WHERE datname = current_database()");
    }

    @Test
    void restoreCopyAndResetKeepTheIcuLocaleAndCollationOrder() {
        assumeTrue(icuAvailable(), "the server has no ICU");
        icuDatabase("test");
        String provider = provider("test");
        String order = pg.query("test", ORDER);
        assertThat(provider).startsWith("i:de-DE");
        assertThat(order).isEqualTo("a,A,ä,b,z,Z");

        Run backup = pg.run("backup", "-e", "test", "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        Run restore = pg.run("restore", "latest", "-e", "test", "-y", "--no-safety-backup");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(provider("test")).isEqualTo(provider);
        assertThat(pg.query("test", ORDER)).isEqualTo(order);

        icuDatabase("dev");
        for (String jobs : new String[] {"1", "2"}) {
            Run copy = pg.run("copy", "--from", "test", "--to", "dev", "-y", "--no-safety-backup", "--jobs", jobs);
            assertThat(copy.exitCode()).as(copy.toString()).isZero();
            assertThat(provider("dev")).isEqualTo(provider);
            assertThat(pg.query("dev", ORDER)).isEqualTo(order);
        }

        Run reset = pg.run("reset", "-e", "dev", "-y", "--no-safety-backup");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(provider("dev")).isEqualTo(provider);
        pg.sql("dev", "CREATE TABLE words (w text); INSERT INTO words VALUES ('b'), ('A'), ('ä'), ('a'), ('Z'), ('z')");
        assertThat(pg.query("dev", ORDER)).isEqualTo(order);
    }

    @Test
    void scratchDatabasesOfAnotherDatabaseWithTheSameLongPrefixAreNotDropped() {
        String prefix = "mdb_a_very_long_database_name_shared_by_two_";
        String one = prefix + "one";
        String two = prefix + "two";
        pg.server().execute("postgres", "DROP DATABASE IF EXISTS " + one);
        pg.server().execute("postgres", "DROP DATABASE IF EXISTS " + two);
        pg.server().execute("postgres", "CREATE DATABASE " + one);
        pg.server().execute("postgres", "CREATE DATABASE " + two);
        try {
            pg.server().execute(two, "CREATE TABLE t AS SELECT 1 AS x");
            Map<String, String> env = pg.env();
            env.put("ONE_DATABASE_URL", pg.server().url(one));
            env.put("TWO_DATABASE_URL", pg.server().url(two));
            Run backup = pg.run(env, "backup", "-e", "two", "--json");
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
            // an in-progress restore of "two" has its scratch database; restoring "one" must leave it alone
            String scratchOfTwo = io.managedb.db.ScratchNames.of(two, "new", java.util.UUID.randomUUID());
            pg.server().execute("postgres", "CREATE DATABASE " + scratchOfTwo);
            Run restoreOne = pg.run(env, "restore", backup.out().replaceAll("(?s).*?\"path\" : \"([^\"]+)\".*", "$1"),
                    "-e", "one", "-y", "--no-safety-backup");
            assertThat(restoreOne.exitCode()).as(restoreOne.toString()).isZero();
            assertThat(pg.query("dev", "SELECT count(*) FROM pg_database WHERE datname = '" + scratchOfTwo + "'"))
                    .isEqualTo("1");
            assertThat(scratchOfTwo.length()).isLessThanOrEqualTo(63);
            pg.server().dropDatabase(scratchOfTwo);
        } finally {
            pg.server().dropDatabase(one);
            pg.server().dropDatabase(two);
        }
    }

    @Test
    void aDatabaseOwnerThatIsNotASuperuserCanInitRestoreAndResetAStampedDatabase() {
        String db = pg.database("test") + "_owned";
        pg.server().dropDatabase(db);
        Map<String, String> env = pg.env();
        String url = "postgresql://mdb_dbowner:dbowner-pw@" + pg.server().host() + ":" + pg.server().port() + "/" + db;
        env.put("OWNED_DATABASE_URL", url);
        try {
            Run init = pg.run(env, "init", "-e", "owned");
            assertThat(init.exitCode()).as(init.toString()).isZero();
            pg.server().execute(db, "COMMENT ON DATABASE " + db + " IS 'the app'");
            Run again = pg.run(env, "init", "-e", "owned");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            pg.server().execute(db, "SET ROLE mdb_dbowner; CREATE TABLE t AS SELECT g AS x FROM generate_series(1, 5) g");

            Run backup = pg.run(env, "backup", "-e", "owned", "--json");
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
            pg.server().execute(db, "INSERT INTO t VALUES (6)");
            Run restore = pg.run(env, "restore", "latest", "-e", "owned", "-y");
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(pg.server().queryIn(db, "SELECT count(*) FROM t")).isEqualTo("5");

            // the stamp survived the restore: the same database selected as prod is refused by every writer
            Map<String, String> asProd = new java.util.HashMap<>(env);
            asProd.put("PROD_DATABASE_URL", url);
            asProd.put("MANAGE_DB_PROTECTED_ENVS", "none");
            for (String[] args : new String[][] {{"migrate", "apply", "-e", "prod"}, {"triggers", "apply", "-e", "prod"},
                    {"reset", "-e", "prod", "-y"}}) {
                Run refused = pg.run(asProd, args);
                assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
                assertThat(refused.err()).contains("stamped as environment 'owned'");
            }

            Run reset = pg.run(env, "reset", "-e", "owned", "-y", "--no-safety-backup");
            assertThat(reset.exitCode()).as(reset.toString()).isZero();
            assertThat(reset.out()).doesNotContain("CREATEDB");
            assertThat(pg.server().queryIn(db, "SELECT to_regclass('t') IS NULL")).isEqualTo("t");
            assertThat(pg.server().queryIn(db, "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                    + " WHERE datname = current_database()")).startsWith("the app");
            Run refused = pg.run(asProd, "migrate", "apply", "-e", "prod");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.out() + refused.err()).doesNotContain("dbowner-pw");
        } finally {
            pg.server().dropDatabase(db);
        }
    }

    @Test
    void rowsWrittenByTheRestoreItselfDoNotFailItAndTheContentEqualsTheBackups() throws Exception {
        String env = "evt";
        pg.addEnvironment(env);
        pg.addEnvironment("evtcopy");
        pg.sql(env, "CREATE TABLE ddl_log (id serial PRIMARY KEY, tag text, at timestamptz DEFAULT now());"
                + " CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO ddl_log (tag) VALUES (tg_tag); END $$;"
                + " CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION log_ddl();"
                + " CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 50) g;"
                + " CREATE MATERIALIZED VIEW item_count AS SELECT count(*) AS n FROM items");
        String log = pg.query(env, "SELECT string_agg(id || tag, ',' ORDER BY id) FROM ddl_log");
        assertThat(log).contains("CREATE MATERIALIZED VIEW");
        Run backup = pg.run("backup", "-e", env, "--json");
        assertThat(backup.exitCode()).as(backup.toString()).isZero();
        String file = backup.out().replaceAll("(?s).*?\"path\" : \"([^\"]+)\".*", "$1");

        Run verify = pg.run("backup", "verify", file, "--deep", "-e", env);
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        Run restore = pg.run("restore", file, "-e", env, "-y", "--no-safety-backup");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(pg.query(env, "SELECT string_agg(id || tag, ',' ORDER BY id) FROM ddl_log")).isEqualTo(log);
        assertThat(pg.query(env, "SELECT n FROM item_count")).isEqualTo("50");
        for (String jobs : new String[] {"1", "2"}) {
            Run copy = pg.run("copy", "--from", env, "--to", "evtcopy", "-y", "--no-safety-backup", "--jobs", jobs);
            assertThat(copy.exitCode()).as(copy.toString()).isZero();
            assertThat(pg.query("evtcopy", "SELECT string_agg(id || tag, ',' ORDER BY id) FROM ddl_log"))
                    .isEqualTo(log);
            assertThat(pg.query("evtcopy", "SELECT n FROM item_count")).isEqualTo("50");
        }
    }
}
