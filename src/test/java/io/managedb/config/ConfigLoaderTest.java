package io.managedb.config;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void processEnvironmentWinsOverTheEnvFile() throws Exception {
        Files.writeString(dir.resolve(".env"), "DEV_DATABASE_URL=postgresql://file@h/a\n"
                + "STAGING_DATABASE_URL=postgresql://s@h/s\nPRODUCTION_DATABASE_URL=postgresql://p@h/p\n"
                + "MANAGE_DB_BACKUP_DIR=bk\n");
        Config c = ConfigLoader.load(Map.of("DEV_DATABASE_URL", "postgresql://proc@h/a"), dir, null);
        assertThat(c.environment("dev").target().user()).isEqualTo("proc");
        assertThat(c.environments().keySet()).containsExactly("dev", "prod", "staging");
        assertThat(c.environment("production").protectedEnv()).isTrue();
        assertThat(c.environment("staging").protectedEnv()).isFalse();
        assertThat(c.path(Setting.BACKUP_DIR)).isEqualTo(dir.resolve("bk"));
        assertThat(c.activeName()).isEqualTo("dev");
    }

    @Test
    void relativePathsResolveAgainstTheEnvFileDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("project"));
        Files.writeString(sub.resolve("prod.env"), "MANAGE_DB_MIGRATIONS_DIR=sql/migrations\n");
        Config c = ConfigLoader.load(Map.of("MANAGE_DB_ENV_FILE", sub.resolve("prod.env").toString()),
                Path.of("/"), null);
        assertThat(c.path(Setting.MIGRATIONS_DIR)).isEqualTo(sub.resolve("sql/migrations"));
        assertThat(c.path(Setting.SEED_DIR)).isEqualTo(sub.resolve("db/seed"));
    }

    @Test
    void zeroConfigurationDevAndActiveEnvironment() {
        Config c = ConfigLoader.load(Map.of("MANAGE_DB_ENV", "testing", "TEST_DATABASE_URL", "postgresql://h/t",
                "MANAGE_DB_PROTECTED_ENVS", "testing,"), dir, null);
        assertThat(c.environment("dev").zeroConfigDefault()).isTrue();
        assertThat(c.environment(null).name()).isEqualTo("test");
        assertThat(c.environment(null).protectedEnv()).isTrue();
    }

    @Test
    void missingDefaultEnvFileIsFineButAnExplicitOneIsNot() {
        assertThat(ConfigLoader.load(Map.of(), dir, null).envFile()).isNull();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), dir, Path.of("missing.env")))
                .isInstanceOf(ManageDbException.class).hasMessageContaining("env file not found");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("MANAGE_DB_ENV_FILE", "x.env"), dir, null))
                .hasMessageContaining("env file not found");
    }

    @Test
    void anEnvironmentDefinedTwiceThroughAnAliasIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("PROD_DATABASE_URL", "postgresql://h/a",
                "PRODUCTION_DATABASE_URL", "postgresql://h/b"), dir, null)).hasMessageContaining("defined twice");
    }

    @Test
    void blankProtectedEnvsMeansTheDefault() {
        for (String blank : new String[] {"", "  ", " , ,"}) {
            Config c = ConfigLoader.load(Map.of("PROD_DATABASE_URL", "postgresql://h/p",
                    "MANAGE_DB_PROTECTED_ENVS", blank), dir, null);
            assertThat(c.environment("prod").protectedEnv()).as("'%s'", blank).isTrue();
            assertThat(c.environment("dev").protectedEnv()).isFalse();
        }
    }

    @Test
    void theDefaultProdNeedNotBeConfigured() {
        Config c = ConfigLoader.load(Map.of("TEST_DATABASE_URL", "postgresql://h/t"), dir, null);
        assertThat(c.environments().values()).noneMatch(Environment::protectedEnv);
    }

    @Test
    void aProtectedNameThatIsNoEnvironmentIsAnErrorNamingTheKey() {
        Map<String, String> env = Map.of("TEST_DATABASE_URL", "postgresql://h/t", "PROD_DATABASE_URL",
                "postgresql://h/p", "MANAGE_DB_PROTECTED_ENVS", "prdo");
        assertThatThrownBy(() -> ConfigLoader.load(env, dir, null)).isInstanceOf(ManageDbException.class)
                .hasMessage("MANAGE_DB_PROTECTED_ENVS: 'prdo' is not a configured environment"
                        + " (configured: dev, test, prod)")
                .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("MANAGE_DB_PROTECTED_ENVS", "prod"), dir, null))
                .as("an explicitly listed prod must exist").hasMessage("MANAGE_DB_PROTECTED_ENVS: 'prod' is not a"
                        + " configured environment (configured: dev)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("MANAGE_DB_PROTECTED_ENVS", "none,dev"), dir, null))
                .hasMessage("MANAGE_DB_PROTECTED_ENVS: 'none' cannot be combined with environment names");
    }

    @Test
    void aliasesAndNone() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PROD_DATABASE_URL", "postgresql://h/p",
                "MANAGE_DB_PROTECTED_ENVS", " Production , development "));
        Config c = ConfigLoader.load(env, dir, null);
        assertThat(c.environment("prod").protectedEnv()).isTrue();
        assertThat(c.environment("dev").protectedEnv()).isTrue();
        env.put("MANAGE_DB_PROTECTED_ENVS", "NONE");
        assertThat(ConfigLoader.load(env, dir, null).environments().values()).noneMatch(Environment::protectedEnv);
    }
}
