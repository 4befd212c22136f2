package io.managedb.config;

import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every setting is typed and validated at load, naming its key; the README and .env.example list every one. */
class SettingsTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    /** check against a server that does not exist: exit 3 proves the setting was refused before connecting. */
    private static Run checkWith(String key, String value) {
        Map<String, String> env = pg.env();
        env.put("DEV_DATABASE_URL", "postgresql://u@127.0.0.1:1/nowhere");
        env.put(key, value);
        return pg.run(env, "check", "-e", "dev");
    }

    private static void assertConfigError(Run run, String... parts) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err().strip()).doesNotContain("\n");
        for (String p : parts) {
            assertThat(run.err()).contains(p);
        }
    }

    @Test
    void badValuesAreConfigurationErrorsNamingTheKeyBeforeAnyConnection() {
        assertConfigError(checkWith("MANAGE_DB_TRIGGERS", "updated_at,udpated_at"), "MANAGE_DB_TRIGGERS",
                "udpated_at", "updated_at, audit");
        assertConfigError(checkWith("MANAGE_DB_PLACEHOLDERS", "maybe"), "MANAGE_DB_PLACEHOLDERS", "on, off");
        assertConfigError(checkWith("MANAGE_DB_PG_BIN", pg.dir().toString()), "MANAGE_DB_PG_BIN", "pg_dump");
        assertConfigError(checkWith("MANAGE_DB_ENV", "de v"), "MANAGE_DB_ENV");
        assertConfigError(checkWith("MANAGE_DB_BACKUP_DIR", "ftp://host/backups"), "MANAGE_DB_BACKUP_DIR",
                "give a directory or s3://bucket/prefix");
        assertConfigError(checkWith("MANAGE_DB_BACKUP_DIR", "s3://Not_A_Bucket/x"), "MANAGE_DB_BACKUP_DIR",
                "is not s3://bucket/prefix");
        assertConfigError(checkWith("MANAGE_DB_S3_ENDPOINT", "minio:9000"), "MANAGE_DB_S3_ENDPOINT",
                "http:// or https://");
        assertConfigError(checkWith("DEV_DATABASE_URL", "postgresql://u@h/db?sslmode=requir"), "DEV_DATABASE_URL",
                "sslmode", "verify-full");
        assertConfigError(checkWith("DEV_DATABASE_URL", "postgresql://u@h/db?connect_timeout=soon"),
                "DEV_DATABASE_URL", "connect_timeout");
        Map<String, String> zeroConfig = pg.env();
        zeroConfig.remove("DEV_DATABASE_URL");
        zeroConfig.put("PGSSLMODE", "sometimes");
        assertConfigError(pg.run(zeroConfig, "check", "-e", "dev"), "PGSSLMODE");
        // blank means the default, and a good value passes on to the connection (exit 4: nothing listens there)
        assertThat(checkWith("MANAGE_DB_TRIGGERS", " ").exitCode()).isEqualTo(4);
        assertThat(checkWith("MANAGE_DB_TRIGGERS", "audit, updated_at").exitCode()).isEqualTo(4);
    }

    @Test
    void theReadmeTableAndEnvExampleListEverySettingWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String example = Files.readString(Path.of(".env.example"));
        Pattern row = Pattern.compile("(?m)^\\| `(MANAGE_DB_[A-Z0-9_]+)` \\| ([^|]*) \\|");
        Matcher m = row.matcher(readme);
        Set<String> listed = new java.util.HashSet<>();
        while (m.find()) {
            listed.add(m.group(1));
            Setting s = Arrays.stream(Setting.values()).filter(x -> x.key().equals(m.group(1))).findFirst()
                    .orElseThrow(() -> new AssertionError("README lists " + m.group(1) + ", which is no setting"));
            if (!s.defaultValue().isEmpty()) {
                assertThat(m.group(2)).as(s.key() + " default").contains("`" + s.defaultValue() + "`");
            }
        }
        assertThat(listed).containsAll(Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet()));
        for (Setting s : Setting.values()) {
            assertThat(example).as(".env.example mentions " + s.key()).contains(s.key());
        }
    }
}
