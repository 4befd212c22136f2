package io.managedb.safety;

import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MANAGE_DB_PROTECTED_ENVS end to end: neither a blank value nor a typo may unprotect prod. */
class ProtectedEnvsCommandTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    @BeforeEach
    void prodHasATable() {
        pg.sql("prod", "CREATE TABLE IF NOT EXISTS keep_me (x int)");
    }

    private static Map<String, String> env(String protectedEnvs) {
        Map<String, String> env = pg.env();
        env.put("MANAGE_DB_PROTECTED_ENVS", protectedEnvs);
        return env;
    }

    private static boolean prodUntouched() {
        return "keep_me".equals(pg.query("prod", "SELECT to_regclass('keep_me')"));
    }

    @Test
    void aBlankValueKeepsProdProtected() {
        for (String blank : new String[] {"", " , "}) {
            Run reset = pg.run(env(blank), "reset", "-e", "prod", "-y", "--no-safety-backup");
            assertThat(reset.exitCode()).as(reset.toString()).isEqualTo(5);
            assertThat(reset.err()).contains("protected environment 'prod'", "--confirm prod");
            assertThat(prodUntouched()).isTrue();
            Run show = pg.run(env(blank), "env", "show", "prod", "--json");
            assertThat(show.out()).as(show.toString()).contains("\"protectedEnv\" : true");
        }
    }

    @Test
    void aNameThatIsNoEnvironmentIsAConfigurationError() {
        Run reset = pg.run(env("prdo"), "reset", "-e", "prod", "-y", "--no-safety-backup");
        assertThat(reset.exitCode()).as(reset.toString()).isEqualTo(3);
        assertThat(reset.err().strip()).isEqualTo("manage-db: error: MANAGE_DB_PROTECTED_ENVS: 'prdo' is not a"
                + " configured environment (configured: dev, test, prod)");
        assertThat(prodUntouched()).isTrue();
        Run list = pg.run(env("prod,stagng"), "env", "list");
        assertThat(list.exitCode()).isEqualTo(3);
        assertThat(list.err()).contains("MANAGE_DB_PROTECTED_ENVS: 'stagng' is not a configured environment");
    }

    @Test
    void noneUnprotectsEveryEnvironmentExplicitly() {
        Run list = pg.run(env("none"), "env", "list", "--json");
        assertThat(list.out()).as(list.toString()).doesNotContain("\"protectedEnv\" : true");
        Run reset = pg.run(env("None"), "reset", "-e", "prod", "-y", "--no-safety-backup");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(prodUntouched()).isFalse();
    }

    @Test
    void aliasesAreAcceptedAndOtherEnvironmentsCanBeProtected() {
        Run reset = pg.run(env("production, testing"), "reset", "-e", "test", "-y", "--no-safety-backup");
        assertThat(reset.exitCode()).as(reset.toString()).isEqualTo(5);
        assertThat(reset.err()).contains("protected environment 'test'");
    }
}
