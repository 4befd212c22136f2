package io.managedb.config;

import io.managedb.core.ManageDbException;
import io.managedb.testing.NastyPasswords;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
                .hasMessage("K: invalid port (expected 1-65535)");
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql://h/d", "K", Map.of("PGPORT", "x")))
                .hasMessage("PGPORT: invalid port (expected 1-65535)");
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql://h/d?foo=1", "K", NO_ENV))
                .hasMessageStartingWith("K: unsupported URL parameter 'foo'");
    }

    @Test
    void theIssuesUnencodedPasswordsParse() {
        Target slash = ConnectionUrl.parse("postgresql://app:hunter2/x@db/app", "K", NO_ENV);
        assertThat(slash.password()).isEqualTo("hunter2/x");
        assertThat(slash.host()).isEqualTo("db");
        assertThat(slash.database()).isEqualTo("app");
        Target at = ConnectionUrl.parse("postgresql://postgres:s3cr3t@pa55:w0rd@127.0.0.1:55500/db", "K", NO_ENV);
        assertThat(at.user()).isEqualTo("postgres");
        assertThat(at.password()).isEqualTo("s3cr3t@pa55:w0rd");
        assertThat(at.host()).isEqualTo("127.0.0.1");
        assertThat(at.port()).isEqualTo(55500);
        assertThat(at.database()).isEqualTo("db");
    }

    @Test
    void anAtInTheQueryIsNotTheEndOfTheUserInfo() {
        Target t = ConnectionUrl.parse("postgresql://u:p@ss@h/d?sslmode=require&application_name=a@b", "K", NO_ENV);
        assertThat(t.password()).isEqualTo("p@ss");
        assertThat(t.host()).isEqualTo("h");
        assertThat(t.params()).containsEntry("application_name", "a@b");
        Target jdbc = ConnectionUrl.parse("jdbc:postgresql://h/d?user=u&password=p@ss?w=rd@x", "K", NO_ENV);
        assertThat(jdbc.user()).isEqualTo("u");
        assertThat(jdbc.password()).isEqualTo("p@ss?w=rd@x");
        assertThat(jdbc.host()).isEqualTo("h");
        Target questionInPassword = ConnectionUrl.parse("postgresql://u:p?w=x@h/d?application_name=a@b", "K", NO_ENV);
        assertThat(questionInPassword.password()).as("'w' is no parameter: the '?' is the password's")
                .isEqualTo("p?w=x");
        assertThat(questionInPassword.params()).containsEntry("application_name", "a@b");
    }

    @Test
    void anUnknownParameterAfterPasswordIsNotNamed() {
        assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:postgresql://h/d?user=u&password=top&secret=1", "K",
                NO_ENV)).hasMessageStartingWith("K: unsupported URL parameter after password=")
                .hasMessageNotContaining("secret");
    }

    /**
     * For every nasty password and every URL form: the parse result, and that neither masked() nor the error of an
     * invalid variant (bad port, bad percent-encoding, unknown parameter) holds any fragment of the password.
     */
    @Test
    void nastyPasswordsParseAndNeverLeak() {
        for (String pw : NastyPasswords.ALL) {
            String enc = NastyPasswords.encode(pw);
            List<String> valid = new ArrayList<>();
            valid.add("postgres://app:" + enc + "@db.example.com:6543/app");
            valid.add("jdbc:postgresql://db.example.com:6543/app?user=app&password=" + enc);
            if (NastyPasswords.validRaw(pw)) {
                valid.add("postgresql://app:" + pw + "@db.example.com:6543/app");
                valid.add("postgresql://app:" + pw + "@db.example.com:6543/app?sslmode=require&application_name=x@y");
                if (pw.indexOf('&') < 0) {
                    valid.add("jdbc:postgresql://db.example.com:6543/app?user=app&password=" + pw);
                }
            } else {
                assertInvalid(pw, "postgresql://app:" + pw + "@db.example.com:6543/app", "invalid percent-encoding");
            }
            for (String url : valid) {
                Target t = ConnectionUrl.parse(url, "PROD_DATABASE_URL", NO_ENV);
                assertThat(t.password()).as(url).isEqualTo(pw);
                assertThat(t.user()).as(url).isEqualTo("app");
                assertThat(t.host()).as(url).isEqualTo("db.example.com");
                assertThat(t.port()).as(url).isEqualTo(6543);
                assertThat(t.database()).as(url).isEqualTo("app");
                assertThat(NastyPasswords.leaked(t.masked(), pw)).as(t.masked()).isNull();
                assertThat(NastyPasswords.leaked(t.toString(), pw)).as(t.toString()).isNull();

                assertInvalid(pw, url.replace(":6543", ":70000"), "invalid port");
                assertInvalid(pw, url.replace(":6543", ":6x43"), "invalid port");
                assertInvalid(pw, url.replace("6543/app", "6543/app%zz"), "invalid percent-encoding");
                assertInvalid(pw, url + (url.endsWith("6543/app") ? "?" : "&") + "bogus=1", "unsupported URL parameter");
                assertInvalid(pw, url.replaceFirst("^[a-z:]+//", "mysql://"), "malformed URL");
            }
        }
    }

    private static void assertInvalid(String password, String url, String expected) {
        ManageDbException e = catchThrowableOfType(() -> ConnectionUrl.parse(url, "PROD_DATABASE_URL", NO_ENV),
                ManageDbException.class);
        assertThat(e).as(url).isNotNull();
        assertThat(e.getMessage()).as(url).startsWith("PROD_DATABASE_URL: ").contains(expected);
        assertThat(NastyPasswords.leaked(e.getMessage(), password)).as(e.getMessage()).isNull();
    }
}
