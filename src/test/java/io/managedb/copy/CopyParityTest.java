package io.managedb.copy;

import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code copy --jobs N} copies exactly what {@code --jobs 1} copies, and refuses what it refuses. */
class CopyParityTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final String[] SEQUENCES = {"s_restarted", "s_setval", "ident_id_seq", "s_unused", "s_used",
        "\"App\".\"Mixed Seq\""};

    private static void fresh(String... envs) {
        for (String env : envs) {
            pg.addEnvironment(env);
        }
    }

    private static Run copy(String from, String to, String jobs) {
        return copy(pg.env(), from, to, jobs);
    }

    private static Run copy(Map<String, String> env, String from, String to, String jobs) {
        return pg.run(env, "copy", "--from", from, "--to", to, "--jobs", jobs, "-y", "--no-safety-backup");
    }

    private static void createRole(String role, String password) {
        pg.server().execute("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role
                + "') THEN CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'; END IF; END $$");
    }

    private static String url(String host, String user, String password, String env) {
        return "postgresql://" + user + (password == null ? "" : ":" + password) + "@" + host + ":"
                + pg.server().port() + "/" + pg.database(env);
    }

    @Test
    void regColumnsArriveAsTheSameNamesNotAsDanglingOids() {
        fresh("src", "dst", "dst1");
        createRole("mdb_reg_role", "reg-pw");
        pg.sql("src", String.join("\n",
                "CREATE SCHEMA app;",
                "CREATE TABLE app.thing (id int);",
                "CREATE TYPE app.mood AS ENUM ('sad', 'happy');",
                "CREATE FUNCTION app.twice(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';",
                "CREATE FUNCTION app.same(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';",
                "CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.same);",
                "CREATE TEXT SEARCH DICTIONARY app.dict (TEMPLATE = pg_catalog.simple);",
                "CREATE TEXT SEARCH CONFIGURATION app.conf (COPY = pg_catalog.simple);",
                "CREATE COLLATION app.coll (provider = libc, locale = 'C');",
                "CREATE DOMAIN app.rel AS regclass;",
                "CREATE TABLE refs (id int PRIMARY KEY, c regclass, t regtype, p regproc, pp regprocedure,"
                        + " o regoper, oo regoperator, n regnamespace, r regrole, cf regconfig, d regdictionary,"
                        + " co regcollation, ca regclass[], ta regtype[], pa regproc[], ppa regprocedure[],"
                        + " oa regoper[], ooa regoperator[], na regnamespace[], ra regrole[], cfa regconfig[],"
                        + " da regdictionary[], coa regcollation[], plain int);",
                "CREATE TABLE refs_domain (id int, dom app.rel); INSERT INTO refs_domain VALUES (1, 'app.thing');",
                "INSERT INTO refs VALUES (1, 'app.thing', 'app.mood', 'app.twice', 'app.twice(int)', 'app.===',"
                        + " 'app.===(int,int)', 'app', 'mdb_reg_role', 'app.conf', 'app.dict', 'app.coll',"
                        + " '{app.thing,public.refs}', '{app.mood,integer}', '{app.twice,now}',"
                        + " '{\"app.twice(int)\",\"app.same(int,int)\"}', '{app.===}', '{\"app.===(int,int)\"}', '{app,public}',"
                        + " '{mdb_reg_role}', '{app.conf,english}', '{app.dict,simple}', ARRAY['app.coll', '\"C\"']::regcollation[], 7),",
                "(2, 'refs', 'integer', 'now', 'lower(text)', '||/', '+(int,int)', 'pg_catalog', 'postgres',"
                        + " 'simple', 'simple', '\"C\"', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL),",
                "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);"));
        String rows = "SELECT string_agg(x::text, E'\\n' ORDER BY id) FROM refs x";
        String source = pg.query("src", rows);
        assertThat(source).contains("app.thing", "app.mood", "app.===(integer,integer)", "mdb_reg_role", "app.coll");

        Run parallel = copy("src", "dst", "2");
        assertThat(parallel.exitCode()).as(parallel.toString()).isZero();
        Run streamed = copy("src", "dst1", "1");
        assertThat(streamed.exitCode()).as(streamed.toString()).isZero();
        assertThat(pg.query("dst1", rows)).as("--jobs 1").isEqualTo(source);
        assertThat(pg.query("dst", rows)).as("--jobs 2").isEqualTo(source);
        // and they name the target's own objects
        assertThat(pg.query("dst", "SELECT c = 'app.thing'::regclass AND pp = 'app.twice(int)'::regprocedure"
                + " AND n = 'app'::regnamespace FROM refs WHERE id = 1")).isEqualTo("t");
        assertThat(pg.query("dst", "SELECT dom = 'app.thing'::regclass FROM refs_domain")).isEqualTo("t");
    }

    @Test
    void sequencesKeepLastValueAndIsCalled() {
        fresh("src", "dst", "dst1");
        pg.sql("src", String.join("\n",
                "CREATE SEQUENCE s_restarted; SELECT nextval('s_restarted'); ALTER SEQUENCE s_restarted RESTART WITH 5000;",
                "CREATE SEQUENCE s_setval; SELECT setval('s_setval', 777, false);",
                "CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x int);",
                "INSERT INTO ident (x) VALUES (1), (2); ALTER TABLE ident ALTER COLUMN id RESTART WITH 100;",
                "CREATE SEQUENCE s_unused START 42;",
                "CREATE SEQUENCE s_used; SELECT nextval('s_used'), nextval('s_used'), nextval('s_used');",
                "CREATE SCHEMA \"App\"; CREATE SEQUENCE \"App\".\"Mixed Seq\"; SELECT setval('\"App\".\"Mixed Seq\"', 9, false);"));
        Map<String, String> source = sequenceStates("src");
        assertThat(source).containsEntry("s_restarted", "5000|f").containsEntry("s_setval", "777|f")
                .containsEntry("ident_id_seq", "100|f").containsEntry("s_unused", "42|f").containsEntry("s_used", "3|t");

        Run parallel = copy("src", "dst", "2");
        assertThat(parallel.exitCode()).as(parallel.toString()).isZero();
        Run streamed = copy("src", "dst1", "1");
        assertThat(streamed.exitCode()).as(streamed.toString()).isZero();
        assertThat(sequenceStates("dst1")).as("--jobs 1").isEqualTo(source);
        assertThat(sequenceStates("dst")).as("--jobs 2").isEqualTo(source);

        Map<String, String> next = nextValues("src");
        assertThat(next).containsEntry("s_restarted", "5000").containsEntry("ident", "100")
                .containsEntry("s_setval", "777").containsEntry("s_unused", "42").containsEntry("s_used", "4");
        assertThat(nextValues("dst")).as("--jobs 2").isEqualTo(next);
        assertThat(nextValues("dst1")).as("--jobs 1").isEqualTo(next);
    }

    private static Map<String, String> sequenceStates(String env) {
        Map<String, String> states = new LinkedHashMap<>();
        for (String s : SEQUENCES) {
            states.put(s, pg.query(env, "SELECT last_value || '|' || CASE WHEN is_called THEN 't' ELSE 'f' END FROM " + s));
        }
        return states;
    }

    private static Map<String, String> nextValues(String env) {
        Map<String, String> next = new LinkedHashMap<>();
        next.put("ident", pg.query(env, "INSERT INTO ident (x) VALUES (3) RETURNING id"));
        for (String s : SEQUENCES) {
            next.put(s, pg.query(env, "SELECT nextval('" + s.replace("'", "''") + "')"));
        }
        return next;
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "1"})
    void rowsHiddenByForcedRowLevelSecurityFailTheCopyAndLeaveTheTargetUnchanged(String jobs) throws Exception {
        fresh("src", "dst");
        createRole("mdb_rls_owner", "rls-pw");
        pg.sql("src", "CREATE TABLE secret (id int PRIMARY KEY, visible boolean);"
                + " INSERT INTO secret SELECT g, g <= 10 FROM generate_series(1, 30) g;"
                + " CREATE TABLE open_table (x int); INSERT INTO open_table VALUES (1);"
                + " ALTER TABLE secret OWNER TO mdb_rls_owner; ALTER TABLE open_table OWNER TO mdb_rls_owner;"
                + " ALTER TABLE secret ENABLE ROW LEVEL SECURITY; ALTER TABLE secret FORCE ROW LEVEL SECURITY;"
                + " CREATE POLICY only_visible ON secret USING (visible)");
        pg.sql("dst", "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
        Map<String, String> env = pg.env();
        env.put("SRC_DATABASE_URL", url(pg.server().host(), "mdb_rls_owner", "rls-pw", "src"));
        try (Connection c = pg.connect("src"); Statement st = c.createStatement()) {
            st.execute("SET ROLE mdb_rls_owner");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM secret")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the source role sees only some rows").isEqualTo(10);
            }
        }
        Fingerprint before = Fingerprint.of(pg, "dst");
        Run run = copy(env, "src", "dst", jobs);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("row-level security").doesNotContain("rls-pw");
        assertThat(Fingerprint.of(pg, "dst")).isEqualTo(before);
        assertThat(pg.scratchDatabaseCount())
                .isEqualTo("0");
    }

    /** Spellings of the test server's address other than the one the harness uses. */
    private static List<String> otherSpellings() throws Exception {
        List<String> hosts = new ArrayList<>(List.of("LOCALHOST", "127.1", "127.0.0.1"));
        String name = InetAddress.getLocalHost().getHostName();
        if (reachable(name)) {
            hosts.add(name);
        }
        String sockets = pg.query("src", "SHOW unix_socket_directories");
        for (String dir : sockets == null ? new String[0] : sockets.split("\\s*,\\s*")) {
            if (dir.startsWith("/")) {
                hosts.add(dir);
            }
        }
        hosts.remove(pg.server().host());
        return hosts;
    }

    private static boolean reachable(String host) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + pg.server().port()
                + "/postgres", p)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String socketUrl(String dir, String user, String password, String env) {
        return "postgresql://" + user + (password == null ? "" : ":" + password) + "@/" + pg.database(env)
                + "?host=" + dir + "&port=" + pg.server().port();
    }

    private static String spelled(String host, String user, String password, String env) {
        return host.startsWith("/") ? socketUrl(host, user, password, env) : url(host, user, password, env);
    }

    @Test
    void aDatabaseReachedThroughAnotherSpellingOfItsServerIsRecognisedAsItself() throws Exception {
        fresh("src", "dst");
        pg.sql("src", "CREATE TABLE t (x int); INSERT INTO t VALUES (1)");
        Fingerprint source = Fingerprint.of(pg, "src");
        List<String> hosts = otherSpellings();
        assertThat(hosts).as("at least the address forms").hasSizeGreaterThanOrEqualTo(3);
        createRole("mdb_alias_role", "alias-pw");
        pg.sql("src", "GRANT SELECT ON t TO mdb_alias_role");
        // PUBLIC may run pg_control_system() by default; a server may revoke it (per database: here the source's
        // and the maintenance database's, which the target side is read from)
        String revoke = "REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC";
        pg.sql("src", revoke);
        pg.server().execute("postgres", revoke);
        try {
            assertThat(pg.query("src", "SELECT has_function_privilege('mdb_alias_role', 'pg_control_system()',"
                    + " 'EXECUTE')")).isEqualTo("f");
            refusedThroughEverySpelling(hosts);
            // another database of the same server is told apart without the system identifier too
            for (String host : hosts) {
                Map<String, String> env = pg.env();
                env.put("SRC_DATABASE_URL", spelled(pg.server().host(), "mdb_alias_role", "alias-pw", "src"));
                env.put("DST_DATABASE_URL", spelled(host, "mdb_alias_role", "alias-pw", "dst"));
                Run dry = pg.run(env, "copy", "--from", "src", "--to", "dst", "--dry-run");
                assertThat(dry.exitCode()).as(host + " (non-superuser): " + dry).isZero();
                assertThat(dry.out()).contains("would copy 1 table(s)");
            }
        } finally {
            pg.server().execute("postgres", "GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC");
            pg.sql("src", "GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC");
        }
        assertThat(Fingerprint.of(pg, "src")).isEqualTo(source);

        // two databases of one server, each reached through another spelling, still copy
        for (String host : hosts) {
            Map<String, String> env = pg.env();
            env.put("DST_DATABASE_URL", spelled(host, "postgres", null, "dst"));
            Run run = copy(env, "src", "dst", "2");
            assertThat(run.exitCode()).as(host + ": " + run).isZero();
            assertThat(Fingerprint.of(pg, "dst").tables()).isEqualTo(source.tables());
        }
    }

    private static void refusedThroughEverySpelling(List<String> hosts) {
        for (String host : hosts) {
            for (String jobs : new String[] {"2", "1"}) {
                Map<String, String> env = pg.env();
                env.put("ALIAS_DATABASE_URL", spelled(host, "postgres", null, "src"));
                Run onto = copy(env, "src", "alias", jobs);
                assertThat(onto.exitCode()).as(host + " --jobs " + jobs + ": " + onto).isEqualTo(5);
                assertThat(onto.err()).as(host).contains("same database");
                assertThat(onto.err().strip().lines().count()).as(host + ": one line").isEqualTo(1);
                Run from = copy(env, "alias", "src", jobs);
                assertThat(from.exitCode()).as(host + " --jobs " + jobs + ": " + from).isEqualTo(5);
            }
            // a role that may not read the server's system identifier
            Map<String, String> env = pg.env();
            env.put("ALIAS_DATABASE_URL", spelled(host, "mdb_alias_role", "alias-pw", "src"));
            for (String[] direction : new String[][] {{"alias", "src"}, {"src", "alias"}}) {
                Run unprivileged = copy(env, direction[0], direction[1], "2");
                assertThat(unprivileged.exitCode()).as(host + " (non-superuser): " + unprivileged).isEqualTo(5);
                assertThat(unprivileged.err()).contains("same database").doesNotContain("alias-pw");
            }
        }
    }
}
