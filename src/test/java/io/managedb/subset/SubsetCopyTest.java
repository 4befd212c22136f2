package io.managedb.subset;

import com.fasterxml.jackson.databind.JsonNode;
import io.managedb.testing.Datasets;
import io.managedb.testing.JsonDocument;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * copy --subset end to end: pagila (customers of one store and everything they reference), plus a crafted schema
 * with a self-reference, a cycle of two tables, a two-column key and a relation only a virtual foreign key declares.
 */
class SubsetCopyTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final String RULES = """
            public.customer:
              email: email
            virtual_foreign_keys:
              - from: lab.note (book_ref)
                to: lab.book
              # pagila's last payment partition has no foreign keys
              - from: public.payment_p2022_07 (customer_id)
                to: public.customer (customer_id)
              - from: public.payment_p2022_07 (rental_id)
                to: public.rental
            """;

    @BeforeAll
    static void source() {
        pg.addEnvironment("src");
        Datasets.load(pg, "src", "pagila");
        pg.sql("src", """
                CREATE SCHEMA lab;
                -- a self-reference: 60 employees, each managed by the one before
                CREATE TABLE lab.employee (id int PRIMARY KEY, manager_id int REFERENCES lab.employee, name text);
                INSERT INTO lab.employee SELECT g, nullif(g - 1, 0), 'e' || g FROM generate_series(1, 60) g;
                -- a cycle: a team's lead is a member, a member belongs to a team
                CREATE TABLE lab.team (id int PRIMARY KEY, lead_id int);
                CREATE TABLE lab.member (id int PRIMARY KEY, team_id int NOT NULL REFERENCES lab.team);
                ALTER TABLE lab.team ADD FOREIGN KEY (lead_id) REFERENCES lab.member DEFERRABLE INITIALLY DEFERRED;
                BEGIN;
                INSERT INTO lab.team VALUES (1, 1), (2, 3), (3, 9);
                INSERT INTO lab.member SELECT g, CASE WHEN g IN (1, 3) THEN 1 WHEN g IN (7, 8) THEN 2 ELSE 3 END
                    FROM generate_series(1, 10) g;
                COMMIT;
                -- a two-column key, and a relation the schema does not declare (note.book_ref holds book ids)
                CREATE TABLE lab.shelf (site int, code text, PRIMARY KEY (site, code));
                INSERT INTO lab.shelf SELECT s, 'c' || c FROM generate_series(1, 3) s, generate_series(1, 3) c;
                CREATE TABLE lab.book (id int PRIMARY KEY, site int, code text, FOREIGN KEY (site, code)
                    REFERENCES lab.shelf);
                INSERT INTO lab.book SELECT g, g % 3 + 1, 'c' || (g % 2 + 1) FROM generate_series(1, 20) g;
                CREATE TABLE lab.note (id int PRIMARY KEY, book_ref int, body text);
                INSERT INTO lab.note SELECT g, g * 2, 'n' || g FROM generate_series(1, 10) g;
                -- rows without columns: a root table too
                CREATE TABLE lab.nocols ();
                INSERT INTO lab.nocols SELECT FROM generate_series(1, 200);
                """);
    }

    private static Map<String, String> env(String rules) {
        Path file = pg.writeFile("rules-", ".yml", rules);
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_MASKING_FILE", file.toString());
        env.put("MANAGE_DB_MASKING_SECRET", "subset secret");
        return env;
    }

    private static Run copy(String to, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "--from", "src", "--to", to, "-y", "--no-safety-backup"));
        args.addAll(List.of(more));
        return pg.run(env(RULES), args.toArray(String[]::new));
    }

    @Test
    void customersOfOneStoreWithEverythingTheyReferenceSatisfyEveryConstraint() throws Exception {
        pg.addEnvironment("store");
        Run run = copy("store", "--jobs", "2", "--json",
                "--subset", "public.customer: store_id = 1 AND last_name NOT LIKE 'Z%'",
                "--subset", "lab.employee: id = 40", "--subset", "member: id = 7", "--subset", "lab.note: id <= 3");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, Long> expected = new TreeMap<>();
        String customers = "SELECT * FROM customer WHERE store_id = 1 AND last_name NOT LIKE 'Z%'";
        expected.put("public.customer", count("src", customers));
        expected.put("public.store", 1L);
        String addresses = "SELECT address_id FROM (" + customers + ") c UNION SELECT address_id FROM store"
                + " WHERE store_id = 1";
        expected.put("public.address", count("src", addresses));
        String cities = "SELECT DISTINCT city_id FROM address WHERE address_id IN (" + addresses + ")";
        expected.put("public.city", count("src", cities));
        expected.put("public.country", count("src", "SELECT DISTINCT country_id FROM city WHERE city_id IN ("
                + cities + ")"));
        expected.put("public.rental", 0L);
        expected.put("public.payment_p2022_03", 0L);
        expected.put("lab.employee", 40L); // 40, its manager 39, ... 1
        expected.put("lab.member", 3L); // 7, the lead of its team 2 (3), the lead of 3's team 1 (1)
        expected.put("lab.team", 2L);
        expected.put("lab.note", 3L);
        expected.put("lab.book", 3L); // 2, 4, 6: the notes' book_ref, through the virtual foreign key
        expected.put("lab.shelf", count("src", "SELECT DISTINCT site, code FROM lab.book WHERE id IN (2, 4, 6)"));
        JsonNode json = JsonDocument.parse(run.out());
        expected.forEach((table, rows) -> {
            assertThat(json.path("subset").path("rows").path(table).asLong()).as("reported rows of " + table).isEqualTo(rows);
            assertThat(count("store", "SELECT * FROM " + table)).as("rows of " + table).isEqualTo(rows);
        });
        assertThat(json.path("subset").path("totalRows").asLong()).isEqualTo(json.path("rowsCopied").asLong());
        assertThat(pg.query("store", "SELECT string_agg(customer_id::text, ',' ORDER BY customer_id) FROM customer"))
                .isEqualTo(pg.query("src", "SELECT string_agg(customer_id::text, ',' ORDER BY customer_id) FROM ("
                        + customers + ") c"));
        assertThat(pg.query("store", "SELECT string_agg(id::text, ',' ORDER BY id) FROM lab.member")).isEqualTo("1,3,7");
        assertEveryForeignKeyHolds("store");

        Run dry = copy("store", "--dry-run", "--subset", "public.customer: store_id = 1 AND last_name NOT LIKE 'Z%'");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).containsPattern("public\\.customer +" + expected.get("public.customer") + " rows")
                .contains("subset: would copy");
        assertThat(pg.query("store", "SELECT count(*) FROM lab.member")).as("a dry run changes nothing").isEqualTo("3");
    }

    @Test
    void withChildrenAndMaskedTheChosenRowsBringTheirRentalsAndPayments() throws Exception {
        pg.addEnvironment("kids");
        Run run = copy("kids", "--masked", "--with-children", "--subset", "public.customer: customer_id IN (1, 2)",
                "--subset", "lab.employee: id = 58");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("subset: copied", "with children").containsPattern("public\\.rental +\\d+ rows");
        // every rental and payment of the two customers, and the children of employee 58 (59, then 60)
        assertThat(pg.query("kids", "SELECT count(*) FROM rental WHERE customer_id IN (1, 2)"))
                .isEqualTo(pg.query("src", "SELECT count(*) FROM rental WHERE customer_id IN (1, 2)"));
        assertThat(pg.query("kids", "SELECT count(*) FROM payment WHERE customer_id IN (1, 2)"))
                .isEqualTo(pg.query("src", "SELECT count(*) FROM payment WHERE customer_id IN (1, 2)"));
        assertThat(pg.query("kids", "SELECT string_agg(id::text, ',' ORDER BY id) FROM lab.employee WHERE id >= 57"))
                .isEqualTo("57,58,59,60");
        assertThat(count("kids", "SELECT * FROM customer")).as("children are not followed from referenced rows")
                .isLessThan(20);
        assertThat(pg.query("kids", "SELECT count(*) FROM customer WHERE email NOT LIKE '%@example.com'"))
                .as("masked").isEqualTo("0");
        assertEveryForeignKeyHolds("kids");
    }

    @Test
    void aPercentOfTheRootTablesTheSameRowsInADryRunAndTheCopy() throws Exception {
        pg.addEnvironment("sample");
        Run dry = copy("sample", "--subset-percent", "10", "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        Run run = copy("sample", "--subset-percent", "10", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode plan = JsonDocument.parse(dry.out());
        JsonNode done = JsonDocument.parse(run.out());
        // a cycle that nothing else references (team and member) is a root, and so is a self-referencing table
        assertThat(done.path("subset").path("rootTables").toString()).contains("public.film_actor",
                "public.payment_p2022_07", "lab.note", "lab.team", "lab.member", "lab.employee")
                .doesNotContain("public.customer", "public.rental", "lab.book", "lab.shelf");
        assertThat(done.path("subset").path("rows").toString()).isEqualTo(plan.path("subset").path("rows").toString());
        long all = Long.parseLong(pg.query("src", "SELECT count(*) FROM film_actor"));
        assertThat(count("sample", "SELECT * FROM film_actor")).isBetween(all / 20, all * 3 / 20);
        assertThat(count("sample", "SELECT * FROM lab.nocols")).isBetween(5L, 60L);
        assertThat(count("sample", "SELECT * FROM customer")).isGreaterThan(0)
                .isLessThan(Long.parseLong(pg.query("src", "SELECT count(*) FROM customer")));
        assertEveryForeignKeyHolds("sample");
    }

    @Test
    void badSubsetsAreOneLineErrorsAndChangeNothing() {
        pg.addEnvironment("bad");
        pg.sql("bad", "CREATE TABLE mine (x int); INSERT INTO mine VALUES (1)");
        assertFails(2, copy("bad", "--subset", "public.custmer: true"), "--subset public.custmer: unknown table");
        assertFails(2, copy("bad", "--subset", "public.customer: stor_id = 1"),
                "--subset public.customer: stor_id = 1: the where clause does not run on the source",
                "column \"stor_id\" does not exist");
        assertFails(2, copy("bad", "--subset", "public.customer: customer_id / (customer_id - customer_id) = 1"),
                "the where clause does not run on the source", "division by zero");
        assertFails(2, copy("bad", "--subset", "public.customer"), "expected 'schema.table: where clause'");
        assertFails(2, copy("bad", "--subset-percent", "0"), "--subset-percent must be more than 0 and at most 100");
        assertFails(2, copy("bad", "--subset-percent", "100.5"), "--subset-percent must be more than 0");
        assertFails(2, copy("bad", "--with-children"), "--with-children needs --subset or --subset-percent");
        assertFails(2, copy("bad", "--data-only", "--subset", "public.customer: true"), "apply to full copies");
        assertFails(3, pg.run(env("virtual_foreign_keys:\n  - from: lab.note (book_ref)\n    to: lab.bok\n"),
                "copy", "--from", "src", "--to", "bad", "-y", "--subset-percent", "5"),
                "virtual_foreign_keys[1]: unknown table lab.bok");
        assertFails(3, pg.run(env("virtual_foreign_keys:\n  - from: lab.note (book)\n    to: lab.book\n"),
                "copy", "--from", "src", "--to", "bad", "-y", "--subset-percent", "5"),
                "virtual_foreign_keys[1]: unknown column lab.note.book (lab.note has id, book_ref, body)");
        assertFails(3, pg.run(env("virtual_foreign_keys:\n  - from: lab.note (body)\n    to: lab.book\n"),
                "copy", "--from", "src", "--to", "bad", "-y", "--subset-percent", "5"),
                "virtual_foreign_keys[1] (lab.note to lab.book) does not run on the source", "operator does not exist");
    }

    private static void assertFails(int exitCode, Run run, String... parts) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        assertThat(run.err()).contains(parts).doesNotContain("Exception", "\tat ");
        assertThat(run.err().strip().lines().count()).as(run.err()).isLessThanOrEqualTo(2);
        assertThat(pg.query("bad", "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'"))
                .as("nothing changed").isEqualTo("mine");
    }

    /**
     * Every foreign key of the copy checked again by PostgreSQL: each is dropped and added back, which validates
     * every row (VALIDATE CONSTRAINT would skip a key that is already valid).
     */
    private static void assertEveryForeignKeyHolds(String env) throws SQLException {
        List<String> readd = new ArrayList<>();
        try (Connection c = pg.connect(env); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I %s', conrelid::regclass, conname,"
                        + " conname, pg_get_constraintdef(oid)) FROM pg_constraint WHERE contype = 'f'"
                        + " AND conparentid = 0")) {
            while (rs.next()) {
                readd.add(rs.getString(1));
            }
        }
        assertThat(readd).hasSizeGreaterThan(20);
        try (Connection c = pg.connect(env); Statement st = c.createStatement()) {
            for (String sql : readd) {
                st.execute(sql);
            }
        }
    }

    private static long count(String env, String select) {
        return Long.parseLong(pg.query(env, "SELECT count(*) FROM (" + select + ") x"));
    }
}
