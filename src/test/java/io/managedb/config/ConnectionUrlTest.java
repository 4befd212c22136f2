package io.managedb.config;

import io.managedb.ManageDbException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionUrlTest {
    private static final Map<String, String> NO_ENV = Map.of("HOME", "/nonexistent");

    @Test
    void parsesAFullPostgresqlUrlWithPercentEncoding() {
        Target t = ConnectionUrl.parse("postgresql://app%40corp:p%3Ass%2Bw@db.example.com:6543/my%20db"
                + "?sslmode=verify-full&sslrootcert=/ca.pem&connect_timeout=5&application_name=x", "K", NO_ENV);
        assertThat(t.user()).isEqualTo("app@corp");
        assertThat(t.password()).isEqualTo("p:ss+w");
        assertThat(t.host()).isEqualTo("db.example.com");
        assertThat(t.port()).isEqualTo(6543);
        assertThat(t.database()).isEqualTo("my db");
        assertThat(t.params()).containsEntry("sslmode", "verify-full").containsEntry("connect_timeout", "5");
        assertThat(t.jdbcProperties()).containsEntry("sslmode", "verify-full").containsEntry("connectTimeout", "5")
                .containsEntry("sslrootcert", "/ca.pem");
        assertThat(t.libpqEnvironment()).containsEntry("PGSSLMODE", "verify-full").containsEntry("PGHOST",
                "db.example.com").doesNotContainKey("PGPASSWORD");
        assertThat(t.masked()).isEqualTo("postgresql://app@corp:***@db.example.com:6543/my db?application_name=x"
                + "&connect_timeout=5&sslmode=verify-full&sslrootcert=/ca.pem");
        assertThat(t.toString()).doesNotContain("p:ss+w");
    }

    @Test
    void parsesPostgresAndJdbcForms() {
        Target pg = ConnectionUrl.parse("postgres://u@[::1]/d", "K", NO_ENV);
        assertThat(pg.host()).isEqualTo("::1");
        assertThat(pg.port()).isEqualTo(5432);
        Target jdbc = ConnectionUrl.parse("jdbc:postgresql://h:5433/d?user=u&password=pw&sslmode=require", "K",
                NO_ENV);
        assertThat(jdbc.user()).isEqualTo("u");
        assertThat(jdbc.password()).isEqualTo("pw");
        assertThat(jdbc.port()).isEqualTo(5433);
        assertThat(jdbc.params()).containsEntry("sslmode", "require");
    }

    @Test
    void unixSocketHostParameter() {
        Target t = ConnectionUrl.parse("postgresql:///app?host=/var/run/postgresql", "K", Map.of("PGUSER", "bob"));
        assertThat(t.unixSocket()).isTrue();
        assertThat(t.user()).isEqualTo("bob");
        assertThat(t.libpqEnvironment()).containsEntry("PGHOST", "/var/run/postgresql");
        assertThat(t.jdbcProperties()).containsEntry("socketFactoryArg", "/var/run/postgresql/.s.PGSQL.5432");
    }

    @Test
    void missingPartsFollowLibpq() {
        Target t = ConnectionUrl.parse("postgresql://db/", "K",
                Map.of("PGUSER", "alice", "PGPORT", "6000", "PGPASSWORD", "envpw"));
        assertThat(t.user()).isEqualTo("alice");
        assertThat(t.port()).isEqualTo(6000);
        assertThat(t.database()).isEqualTo("alice");
        assertThat(t.password()).isEqualTo("envpw");
    }

    @Test
    void passwordFromPgpass(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pass = dir.resolve("pgpass");
        java.nio.file.Files.writeString(pass, "other:*:*:*:no\ndb:5432:app:u:from\\:file\n");
        Target t = ConnectionUrl.parse("postgresql://u@db/app", "K", Map.of("PGPASSFILE", pass.toString()));
        assertThat(t.password()).isEqualTo("from:file");
    }

    @Test
    void localDefaultIsWhatPsqlWithoutArgumentsUses() {
        Target t = ConnectionUrl.localDefault(Map.of("PGUSER", "carol"));
        assertThat(t.host()).isEqualTo("localhost");
        assertThat(t.port()).isEqualTo(5432);
        assertThat(t.database()).isEqualTo("carol");
    }

    @Test
    void badUrlsNameTheKeyNeverTheValue() {
        assertThatThrownBy(() -> ConnectionUrl.parse("mysql://u:topsecret@h/d", "PROD_DATABASE_URL", NO_ENV))
                .isInstanceOf(ManageDbException.class).hasMessageStartingWith("PROD_DATABASE_URL: malformed URL")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql://u:topsecret@h:99999/d", "K", NO_ENV))
                .hasMessage("K: invalid port '99999'");
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql://h/d?foo=1", "K", NO_ENV))
                .hasMessageStartingWith("K: unsupported URL parameter 'foo'");
    }
}
