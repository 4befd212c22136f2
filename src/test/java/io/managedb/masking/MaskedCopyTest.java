package io.managedb.masking;

import io.managedb.testing.Datasets;
import io.managedb.testing.Fingerprint;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** copy --masked end to end, on pagila plus a table large enough to be split into page ranges. */
class MaskedCopyTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final String SECRET = "correct horse battery staple";
    /** Every personal column of pagila (and of the extra tables) covered; names of actors kept on purpose. */
    private static final String RULES = """
            public.customer:
              customer_id: hash
              first_name: name
              last_name: name
              email: email
              create_date: {transformer: date_shift, days: 30}
            public.staff:
              first_name: name
              last_name: name
              email: email
              username: hash
              password: "null"
            public.address:
              address: address
              address2: "null"
              phone: phone
              postal_code: {transformer: sql, expr: "left(postal_code, 2) || 'xxx'"}
            public.actor:
              first_name: keep
              last_name: keep
            public.payment:
              amount: {transformer: noise, percent: 5}
              # payment_p2022_07 has no foreign key to customer: masked alike by the rule (same seed: the name)
              customer_id: hash
            public.people:
              email: email
              born: {transformer: date_shift, days: 10}
              note: {transformer: constant, value: "redacted\\tby rule"}
            """;

    @BeforeAll
    static void source() {
        pg.addEnvironment("src");
        Datasets.load(pg, "src", "pagila");
        pg.sql("src", "CREATE TABLE people (id bigint PRIMARY KEY, email text UNIQUE, born date, note text,"
                + " login text GENERATED ALWAYS AS (lower(email)) STORED);"
                + " INSERT INTO people (id, email, born, note) SELECT g, 'person' || g || '@real-mail.org',"
                + " date '1950-01-01' + g % 20000, 'secret note ' || g || E'\\twith tab' FROM generate_series(1, 120000) g;"
                + " CREATE TABLE people_ref (person_email text REFERENCES people (email), what text);"
                + " INSERT INTO people_ref SELECT 'person' || g || '@real-mail.org', 'x' FROM generate_series(1, 500) g");
        assertThat(Long.parseLong(pg.query("src", "SELECT pg_table_size('people')")))
                .as("split into page ranges with --jobs 2").isGreaterThan(12L << 20);
    }

    private static Map<String, String> env(String rules) {
        Path file = pg.writeFile("masking-", ".yml", rules);
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_MASKING_FILE", file.toString());
        env.put("MANAGE_DB_MASKING_SECRET", SECRET);
        env.put("MANAGE_DB_BACKUP_DIR", pg.dir().resolve("backups").toString());
        return env;
    }

    private static Run copy(Map<String, String> env, String to, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "--from", "src", "--to", to, "-y", "--no-safety-backup"));
        args.addAll(List.of(more));
        return pg.run(env, args.toArray(String[]::new));
    }

    @Test
    void everyTransformerDeterministicallyWithKeysKeptValid() throws Exception {
        pg.addEnvironment("one");
        pg.addEnvironment("two");
        Run first = copy(env(RULES), "one", "--masked");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("masked ");
        Run second = copy(env(RULES), "two", "--masked", "--jobs", "2", "--json");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out() + second.err()).doesNotContain(SECRET);
        Fingerprint one = Fingerprint.of(pg, "one");
        assertThat(Fingerprint.of(pg, "two").tables()).as("the same masked data from two runs (1 and 2 jobs)")
                .isEqualTo(one.tables());
        Fingerprint source = Fingerprint.of(pg, "src");
        assertThat(one.schema()).isEqualTo(source.schema());
        one.tables().forEach((t, v) -> assertThat(v.split(":")[0]).as(t + " rows")
                .isEqualTo(source.tables().get(t).split(":")[0]));

        // hash: a permutation of the key; rental and the payment partitions reference the masked ids
        assertThat(pg.query("one", "SELECT count(*) FROM customer c JOIN (SELECT customer_id FROM customer) s"
                + " USING (customer_id)")).isEqualTo("599");
        assertThat(overlap("customer", "customer_id")).as("no customer id survives").isLessThan(5);
        assertThat(pg.query("one", "SELECT count(*) FROM rental JOIN customer USING (customer_id)"))
                .isEqualTo(pg.query("src", "SELECT count(*) FROM rental"));
        assertThat(pg.query("one", "SELECT count(*) FROM payment JOIN customer USING (customer_id)"))
                .isEqualTo(pg.query("src", "SELECT count(*) FROM payment"));
        // the same customer's rentals, before and after
        assertThat(pg.query("one", "SELECT string_agg(rental_id::text, ',' ORDER BY rental_id) FROM rental"
                + " WHERE customer_id = (SELECT customer_id FROM rental WHERE rental_id = 1)"))
                .isEqualTo(pg.query("src", "SELECT string_agg(rental_id::text, ',' ORDER BY rental_id) FROM rental"
                        + " WHERE customer_id = (SELECT customer_id FROM rental WHERE rental_id = 1)"));
        // email, name, phone, address: fake, and none of the originals
        assertThat(pg.query("one", "SELECT count(*) FROM customer WHERE email NOT LIKE '%@example.com'")).isEqualTo("0");
        assertThat(overlap("customer", "email")).isZero();
        assertThat(overlap("address", "address")).isZero();
        assertThat(overlap("address", "phone")).isZero();
        assertThat(overlap("people", "email")).isZero();
        assertThat(pg.query("one", "SELECT count(DISTINCT email) FROM people")).isEqualTo("120000");
        assertThat(pg.query("one", "SELECT count(*) FROM people_ref JOIN people ON email = person_email"))
                .as("a masked unique key referenced by a text foreign key").isEqualTo("500");
        assertThat(pg.query("one", "SELECT count(*) FROM people WHERE login = lower(email)")).isEqualTo("120000");
        // null, constant, sql, keep
        assertThat(pg.query("one", "SELECT count(*) FROM staff WHERE password IS NOT NULL")).isEqualTo("0");
        assertThat(pg.query("one", "SELECT count(*) FROM address WHERE address2 IS NOT NULL")).isEqualTo("0");
        assertThat(pg.query("one", "SELECT DISTINCT note FROM people")).isEqualTo("redacted\tby rule");
        assertThat(pg.query("one", "SELECT count(*) FROM address WHERE postal_code NOT LIKE '__xxx'"))
                .isEqualTo(pg.query("src", "SELECT count(*) FROM address WHERE postal_code IS NOT NULL"
                        + " AND length(postal_code) < 2"));
        assertThat(pg.query("one", "SELECT md5(string_agg(first_name || last_name, ',' ORDER BY actor_id)) FROM actor"))
                .isEqualTo(pg.query("src", "SELECT md5(string_agg(first_name || last_name, ',' ORDER BY actor_id))"
                        + " FROM actor"));
        // date_shift: within ±10 days, never 0, per row; noise: within ±5 %
        Map<String, String> born = column("src", "SELECT id, born FROM people WHERE id <= 2000");
        Map<String, String> shifted = column("one", "SELECT id, born FROM people WHERE id <= 2000");
        int moved = 0;
        for (Map.Entry<String, String> e : born.entrySet()) {
            long days = java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.parse(e.getValue()),
                    java.time.LocalDate.parse(shifted.get(e.getKey())));
            assertThat(Math.abs(days)).isBetween(1L, 10L);
            moved += days > 0 ? 1 : 0;
        }
        assertThat(moved).as("earlier and later").isBetween(700, 1300);
        Map<String, String> amount = column("src", "SELECT payment_id, amount FROM payment");
        Map<String, String> noisy = column("one", "SELECT payment_id, amount FROM payment");
        int changed = 0;
        for (Map.Entry<String, String> e : amount.entrySet()) {
            double a = Double.parseDouble(e.getValue());
            double b = Double.parseDouble(noisy.get(e.getKey()));
            assertThat(Math.abs(b - a)).isLessThanOrEqualTo(Math.abs(a) * 0.05 + 0.005);
            changed += a == b ? 0 : 1;
        }
        assertThat(changed).isGreaterThan(amount.size() / 2);
    }

    /** How many values of a column of the copy "one" are also values of it in the source. */
    private static int overlap(String table, String column) throws SQLException {
        List<String> source = new ArrayList<>(column("src", "SELECT " + column + ", 1 FROM " + table).keySet());
        try (Connection c = pg.connect("one"); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + table + " WHERE " + column + "::text = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", source.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Map<String, String> column(String env, String sql) {
        Map<String, String> values = new HashMap<>();
        try (Connection c = pg.connect(env); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    @Test
    void aDryRunListsEveryColumnItsTransformerAndThePersonalColumnsNoRuleCovers() {
        pg.addEnvironment("dry");
        Run run = copy(env(RULES.replace("  email: email\n  username", "  username")), "dry", "--masked",
                "--dry-run");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("public\\.customer\\.email +email  \\[personal\\]")
                .containsPattern("public\\.rental\\.customer_id +hash \\(as public\\.customer\\.customer_id\\)")
                .containsPattern("public\\.customer\\.create_date +date_shift\\(days=30\\)")
                .containsPattern("public\\.film\\.title +-")
                .containsPattern("public\\.actor\\.first_name +keep  \\[personal\\]")
                .contains("personal columns no rule covers: public.staff.email")
                .doesNotContain("payment_p2022_01.amount");
        Run json = copy(env(RULES), "dry", "--masked", "--dry-run", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.out()).contains("\"uncovered\" : [ ]", "\"via\" : \"key public.customer.customer_id\"");
        assertThat(pg.query("dry", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
    }

    @Test
    void badRulesAndAMissingSecretAreConfigurationErrorsNamingThem() {
        pg.addEnvironment("bad");
        assertConfig(env("public.custmer:\n  email: email\n"), "unknown table public.custmer");
        assertConfig(env("public.customer:\n  emial: email\n"), "unknown column public.customer.emial");
        assertConfig(env("public.customer:\n  email: emial\n"), "public.customer.email",
                "unknown transformer 'emial'");
        assertConfig(env("public.customer:\n  customer_id: {transformer: sql, expr: \"customer_id + 1\"}\n"),
                "public.customer.customer_id", "cannot mask a key that", "customer_id references (foreign key");
        assertConfig(env("public.customer:\n  create_date: email\n"), "email masks text columns, not date");
        assertConfig(env("public.address:\n  postal_code: {transformer: sql, expr: \"left(postcode, 2)\"}\n"),
                "masking rules of public.address: an sql expression does not run", "postcode");
        assertConfig(env("public.people:\n  login: \"null\"\n"), "public.people.login is a generated column");
        Map<String, String> noSecret = env(RULES);
        noSecret.remove("MANAGE_DB_MASKING_SECRET");
        assertConfig(noSecret, "MANAGE_DB_MASKING_SECRET is not set", "hash");
        Map<String, String> noFile = env(RULES);
        noFile.put("MANAGE_DB_MASKING_FILE", pg.dir().resolve("nowhere.yml").toString());
        assertConfig(noFile, "nowhere.yml does not exist");
        Run dataOnly = copy(env(RULES), "bad", "--masked", "--data-only");
        assertThat(dataOnly.exitCode()).as(dataOnly.toString()).isEqualTo(2);
    }

    private static void assertConfig(Map<String, String> env, String... parts) {
        Run run = copy(env, "bad", "--masked");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains(parts).doesNotContain(SECRET);
        assertThat(pg.query("bad", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
    }

    @Test
    void outOfAProtectedEnvironmentPersonalDataIsMaskedOrTheCopyRefused() throws Exception {
        pg.addEnvironment("laptop");
        pg.sql("laptop", "CREATE TABLE mine (x int)");
        Map<String, String> env = env(RULES);
        env.put("MANAGE_DB_PROTECTED_ENVS", "src");
        Fingerprint before = Fingerprint.of(pg, "laptop");

        Run plain = pg.run(env, "copy", "--from", "src", "--to", "laptop", "-y");
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(5);
        assertThat(plain.err()).contains("refusing to copy from protected environment 'src' into unprotected"
                + " 'laptop'", "public.customer.first_name", "--masked", "--unmasked", "nothing was changed");
        Map<String, String> partial = env(RULES.replace("  address: address\n", ""));
        partial.put("MANAGE_DB_PROTECTED_ENVS", "src");
        Run uncovered = pg.run(partial, "copy", "--from", "src", "--to", "laptop", "-y", "--masked");
        assertThat(uncovered.exitCode()).as(uncovered.toString()).isEqualTo(5);
        assertThat(uncovered.err()).contains("leave personal column(s) uncovered: public.address.address;",
                "keep");
        Run unconfirmed = pg.run(env, "copy", "--from", "src", "--to", "laptop", "-y", "--unmasked");
        assertThat(unconfirmed.exitCode()).as(unconfirmed.toString()).isEqualTo(5);
        assertThat(unconfirmed.err()).contains("protected environment 'src'", "--confirm src");
        assertThat(Fingerprint.of(pg, "laptop")).isEqualTo(before);
        assertThat(Files.exists(pg.dir().resolve("backups"))
                && Files.list(pg.dir().resolve("backups")).anyMatch(p -> p.toString().contains("laptop")))
                .as("no safety backup of a refused copy").isFalse();

        Run masked = pg.run(env, "copy", "--from", "src", "--to", "laptop", "-y", "--masked", "--no-safety-backup");
        assertThat(masked.exitCode()).as(masked.toString()).isZero();
        String dump = plainDump("laptop");
        assertThat(dump).contains("COPY public.customer").contains("redacted\\tby rule");
        List<String> originals = new ArrayList<>();
        originals.addAll(column("src", "SELECT email, 1 FROM customer UNION SELECT email, 1 FROM staff"
                + " UNION SELECT email, 1 FROM people UNION SELECT address, 1 FROM address"
                + " UNION SELECT phone, 1 FROM address UNION SELECT username, 1 FROM staff"
                + " UNION (SELECT first_name || E'\\t' || last_name, 1 FROM customer"
                + "  EXCEPT SELECT first_name || E'\\t' || last_name, 1 FROM actor)"
                + " UNION SELECT replace(note, E'\\t', '\\t'), 1 FROM people WHERE id % 97 = 0").keySet());
        originals.removeIf(v -> v == null || v.isBlank());
        assertThat(originals).hasSizeGreaterThan(2000);
        // every field of the dump's COPY data (and each pair of neighbours, for first and last names); and a
        // substring search for a sample, as a full-text search would do
        java.util.Set<String> fields = new java.util.HashSet<>();
        dump.lines().forEach(line -> {
            String[] f = line.split("\t");
            for (int i = 0; i < f.length; i++) {
                fields.add(f[i]);
                if (i > 0) {
                    fields.add(f[i - 1] + "\t" + f[i]);
                }
            }
        });
        assertThat(originals.stream().filter(fields::contains).toList())
                .as("original values in a plain dump of the target").isEmpty();
        // (not for bare names and user names: pagila's staff were made up by a faker too, so a fake e-mail address
        // may contain one of them by chance, as in yasuko.pouros.0123456789ab@example.com)
        assertThat(originals.stream().filter(v -> v.hashCode() % 50 == 0 && (v.contains("@") || v.matches(".*\\d.*")))
                .filter(dump::contains).toList())
                .as("original values anywhere in the dump").isEmpty();

        Run unmasked = pg.run(env, "copy", "--from", "src", "--to", "laptop", "-y", "--unmasked", "--confirm", "src",
                "--no-safety-backup");
        assertThat(unmasked.exitCode()).as(unmasked.toString()).isZero();
        assertThat(pg.query("laptop", "SELECT count(*) FROM customer WHERE email LIKE '%@sakilacustomer.org'"))
                .isEqualTo("599");
    }

    private static String plainDump(String env) throws Exception {
        Process p = new ProcessBuilder("pg_dump", "-d", pg.url(env)).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("pg_dump").isTrue();
        return dump;
    }
}
