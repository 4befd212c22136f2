package io.managedb.triggers;

import io.managedb.testing.Datasets;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TriggersCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private Path filesDir;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        pg.addEnvironment("tg");
        filesDir = Files.createTempDirectory(pg.dir(), "triggers");
        env = pg.env();
        env.put("MANAGE_DB_TRIGGERS_DIR", filesDir.toString());
        env.put("MANAGE_DB_TRIGGERS", "updated_at,audit");
        env.put("MANAGE_DB_AUDIT_TABLES", "public.account*");
        env.put("MANAGE_DB_AUDIT_EXCLUDE_COLUMNS", "password_hash");
        pg.sql("tg", "CREATE TABLE account (id int PRIMARY KEY, name text, password_hash text,"
                + " updated_at timestamptz NOT NULL DEFAULT now() - interval '1 day');"
                + " CREATE TABLE plain (id int PRIMARY KEY, note text)");
    }

    private Run run(String... args) {
        return pg.run(env, args);
    }

    private String catalog() {
        return pg.query("tg", "SELECT string_agg(pg_get_triggerdef(t.oid), E'\\n' ORDER BY t.tgname, t.tgrelid)"
                + " || (SELECT string_agg(prosrc, '' ORDER BY proname) FROM pg_proc p JOIN pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE n.nspname = 'manage_db') FROM pg_trigger t WHERE NOT t.tgisinternal");
    }

    @Test
    void applyInstallsUpdatedAtAndAuditAndTwiceChangesNothing() {
        Run first = run("triggers", "apply", "-e", "tg");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("created trigger manage_db_updated_at on public.account",
                "created trigger manage_db_audit on public.account").doesNotContain("on public.plain");
        String catalog = catalog();
        Run second = run("triggers", "apply", "-e", "tg");
        assertThat(second.out()).contains("up to date");
        assertThat(catalog()).isEqualTo(catalog);

        pg.sql("tg", "INSERT INTO account VALUES (1, 'ada', 'secret-hash'); UPDATE account SET name = 'Ada' WHERE id = 1");
        assertThat(pg.query("tg", "SELECT updated_at > now() - interval '1 minute' FROM account")).isEqualTo("t");
        pg.sql("tg", "SELECT set_config('app.user', 'alice', false); DELETE FROM account");
        assertThat(pg.query("tg", "SELECT string_agg(operation || ' ' || coalesce(old_row::text, '-') || ' '"
                + " || coalesce(new_row::text, '-') || ' ' || primary_key::text, ' | ' ORDER BY id)"
                + " FROM manage_db.audit_log"))
                .contains("INSERT - {\"id\": 1, \"name\": \"ada\"", "UPDATE {\"name\": \"ada\"",
                        "\"name\": \"Ada\"", "DELETE {\"id\": 1, \"name\": \"Ada\"", "{\"id\": 1}")
                .doesNotContain("secret-hash", "password_hash");
        assertThat(pg.query("tg", "SELECT app_user FROM manage_db.audit_log WHERE operation = 'DELETE'"))
                .isEqualTo("alice");
        assertThat(run("triggers", "verify", "-e", "tg").exitCode()).isZero();
        assertThat(run("check", "-e", "tg").out()).contains("triggers", "ok (2 managed triggers)");
    }

    @Test
    void verifyNamesWhatIsOffAndApplyFixesIt() throws Exception {
        Files.writeString(filesDir.resolve("10_touch.sql"), "CREATE OR REPLACE FUNCTION touch() RETURNS trigger"
                + " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
                + "CREATE OR REPLACE TRIGGER plain_touch BEFORE INSERT ON plain FOR EACH ROW EXECUTE FUNCTION touch();\n");
        assertThat(run("triggers", "apply", "-e", "tg").exitCode()).isZero();
        assertThat(run("triggers", "verify", "-e", "tg").exitCode()).isZero();

        pg.sql("tg", "CREATE TABLE later (id int, updated_at timestamp)");
        assertVerifyFinds("trigger manage_db_updated_at on public.later is missing");
        assertThat(run("triggers", "apply", "-e", "tg").out()).contains("created trigger manage_db_updated_at on public.later");

        pg.sql("tg", "DROP TRIGGER manage_db_audit ON account");
        assertVerifyFinds("trigger manage_db_audit on public.account is missing");
        pg.sql("tg", "ALTER TABLE account DISABLE TRIGGER manage_db_updated_at");
        assertVerifyFinds("trigger manage_db_updated_at on public.account is disabled");
        pg.sql("tg", "CREATE OR REPLACE FUNCTION manage_db.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RETURN NEW; END $$");
        assertVerifyFinds("function manage_db.set_updated_at was changed");
        pg.sql("tg", "ALTER TABLE plain DISABLE TRIGGER plain_touch");
        assertVerifyFinds("trigger public.plain plain_touch (from 10_touch.sql) is disabled");
        Files.writeString(filesDir.resolve("10_touch.sql"), Files.readString(filesDir.resolve("10_touch.sql"))
                + "-- edited\n");
        assertVerifyFinds("trigger file 10_touch.sql changed since it was applied");

        Run fix = run("triggers", "apply", "-e", "tg");
        assertThat(fix.exitCode()).as(fix.toString()).isZero();
        assertThat(run("triggers", "verify", "-e", "tg").exitCode()).isZero();
    }

    private void assertVerifyFinds(String problem) {
        Run verify = run("triggers", "verify", "-e", "tg");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(7);
        assertThat(verify.out()).contains(problem);
    }

    @Test
    void aProjectFileWithASyntaxErrorChangesNothingAtAll() throws Exception {
        Files.writeString(filesDir.resolve("20_broken.sql"), "CREATE OR REPLACE FUNCTION broken( RETURNS trigger;\n");
        String before = pg.query("tg", "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
                + pg.query("tg", "SELECT to_regnamespace('manage_db')");
        Run run = run("triggers", "apply", "-e", "tg");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("trigger file 20_broken.sql failed", "syntax error", "nothing was changed");
        assertThat(pg.query("tg", "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
                + pg.query("tg", "SELECT to_regnamespace('manage_db')")).isEqualTo(before);
        Run dry = run("triggers", "apply", "-e", "tg", "--dry-run");
        assertThat(dry.exitCode()).isEqualTo(1);
    }

    @Test
    void removeIsGuardedAndKeepsTablesDataAndTheAuditLog() {
        assertThat(run("triggers", "apply", "-e", "tg").exitCode()).isZero();
        pg.sql("tg", "INSERT INTO account VALUES (1, 'ada', 'x')");
        assertThat(run("triggers", "remove", "-e", "tg").exitCode()).isEqualTo(5);
        Run remove = run("triggers", "remove", "-e", "tg", "-y");
        assertThat(remove.exitCode()).as(remove.toString()).isZero();
        assertThat(pg.query("tg", "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'manage\\_db\\_%'")).isEqualTo("0");
        assertThat(pg.query("tg", "SELECT count(*) FROM account")).isEqualTo("1");
        assertThat(pg.query("tg", "SELECT count(*) FROM manage_db.audit_log")).isEqualTo("1");
        assertThat(run("triggers", "remove", "-e", "tg", "-y", "--drop-audit-log").exitCode()).isZero();
        assertThat(pg.query("tg", "SELECT to_regclass('manage_db.audit_log')")).isNull();
    }

    @Test
    void pagilasOwnTriggersAreListedAndLeftAlone() {
        pg.addEnvironment("pagila");
        Datasets.load(pg, "pagila", "pagila");
        Map<String, String> e = pg.env();
        e.put("MANAGE_DB_TRIGGERS_DIR", filesDir.toString());
        String own = pg.query("pagila", "SELECT string_agg(pg_get_triggerdef(oid), E'\\n' ORDER BY tgname, tgrelid)"
                + " FROM pg_trigger WHERE NOT tgisinternal");
        Run list = pg.run(e, "triggers", "list", "-e", "pagila", "--json");
        assertThat(list.out().split("\"name\"", -1)).hasSize(16);
        Run apply = pg.run(e, "triggers", "apply", "-e", "pagila");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).doesNotContain("created trigger");
        Run remove = pg.run(e, "triggers", "remove", "-e", "pagila", "-y");
        assertThat(remove.exitCode()).isZero();
        assertThat(pg.query("pagila", "SELECT string_agg(pg_get_triggerdef(oid), E'\\n' ORDER BY tgname, tgrelid)"
                + " FROM pg_trigger WHERE NOT tgisinternal")).isEqualTo(own);

        e.put("MANAGE_DB_UPDATED_AT_COLUMNS", "updated_at,last_update");
        Run configured = pg.run(e, "triggers", "apply", "-e", "pagila");
        assertThat(configured.out()).contains("created trigger manage_db_updated_at on public.film");
    }

    @Test
    void initInstallsTriggersAfterMigrations() {
        Run init = run("init", "-e", "tg");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.out()).contains("triggers:", "created");
        assertThat(pg.query("tg", "SELECT count(*) FROM pg_trigger WHERE tgname = 'manage_db_updated_at'")).isEqualTo("1");
        assertThat(run("init", "-e", "tg").out()).startsWith("nothing to do");
    }
}
