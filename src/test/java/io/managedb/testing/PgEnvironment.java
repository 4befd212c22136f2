package io.managedb.testing;

import io.managedb.ManageDb;
import io.managedb.cli.Context;
import io.managedb.safety.Prompter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per test class: fresh dev, test and prod databases on the shared {@link TestServer}, a temporary working
 * directory, and {@link #run} to invoke manage-db end to end with an environment pointing at them. Register with
 * {@code @RegisterExtension static final PgEnvironment pg = new PgEnvironment();}.
 */
public final class PgEnvironment implements BeforeAllCallback, AfterAllCallback {
    private static final String[] ENVS = {"dev", "test", "prod"};

    private final boolean asPasswordRole;
    private TestServer server;
    private TestServer.PasswordRole role;
    private final Map<String, String> databases = new LinkedHashMap<>();
    private Path dir;

    public PgEnvironment() {
        this(false);
    }

    private PgEnvironment(boolean asPasswordRole) {
        this.asPasswordRole = asPasswordRole;
    }

    /**
     * As the default, but the databases belong to {@link TestServer#passwordRole()} and every URL, connection and
     * {@link #sql} is that role's: manage-db and its children must authenticate with the password. Skips the class
     * on a server (MANAGE_DB_TEST_URL, a container) where the role gets in without it.
     */
    public static PgEnvironment asPasswordRole() {
        return new PgEnvironment(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = TestServer.get();
        if (asPasswordRole) {
            role = server.passwordRole();
            boolean required = server.requiresPassword(role);
            if (server.isEmbedded()) {
                org.junit.jupiter.api.Assertions.assertTrue(required, "the embedded server must ask "
                        + role.user() + " for its password (scram-sha-256 in its pg_hba.conf)");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(required, "this server lets " + role.user()
                    + " in without its password");
        }
        dir = Files.createTempDirectory("manage-db-test-");
        Files.createDirectory(dir.resolve("tmp"));
        String prefix = "mdb_" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
        for (String env : ENVS) {
            databases.put(env, server.createDatabase(prefix + "_" + env, owner()));
        }
    }

    private String owner() {
        return role == null ? null : role.user();
    }

    /** The password role this environment connects as, or null (the superuser). */
    public TestServer.PasswordRole role() {
        return role;
    }

    /**
     * A fresh database for a new environment of this class (e.g. "rt" → RT_DATABASE_URL in {@link #env()}); a
     * previous database of that name is dropped.
     */
    public String addEnvironment(String name) {
        String old = databases.put(name, server.createDatabase("mdb_" + name, owner()));
        if (old != null) {
            server.dropDatabase(old);
        }
        return databases.get(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        databases.values().forEach(server::dropDatabase);
        if (dir != null) {
            io.managedb.files.Trees.deleteRecursively(dir);
        }
    }

    public TestServer server() {
        return server;
    }

    /** The working directory of this class's runs. */
    public Path dir() {
        return dir;
    }

    /** This class's TMPDIR (in {@link #env()}): where manage-db's temporary files go. */
    public Path tmp() {
        return dir.resolve("tmp");
    }

    public String database(String env) {
        return databases.get(env);
    }

    public String url(String env) {
        return role == null ? server.url(databases.get(env)) : server.url(databases.get(env), role);
    }

    /** The process environment manage-db sees: PATH, a private HOME, and DEV/TEST/PROD_DATABASE_URL. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", dir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("TMPDIR", tmp().toString());
        databases.forEach((name, db) -> env.put(name.toUpperCase(Locale.ROOT) + "_DATABASE_URL", url(name)));
        return env;
    }

    public Run run(String... args) {
        return run(env(), args);
    }

    public Run run(Map<String, String> env, String... args) {
        return run(new Context(env, dir, Prompter.NONE, false), args);
    }

    public Run run(Context context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ManageDb.run(context, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs SQL in an environment's database, as superuser (or as the password role, see {@link #asPasswordRole}). */
    public void sql(String env, String sql) {
        try (Connection c = connect(env); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first column of the first row. */
    public String query(String env, String sql) {
        try (Connection c = connect(env); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Connection connect(String env) throws SQLException {
        return role == null ? server.connect(databases.get(env)) : server.connect(databases.get(env), role);
    }

    /**
     * The scratch databases (any purpose) that manage-db made for this class's databases, comma-separated, or null
     * when there are none. Only this class's: the server is shared with the classes running beside it.
     */
    public String scratchDatabases() {
        return server.queryIn("postgres", "SELECT string_agg(datname, ',') FROM pg_database WHERE " + scratchFilter());
    }

    /** How many scratch databases {@link #scratchDatabases} names, as text ("0" when none). */
    public String scratchDatabaseCount() {
        return server.queryIn("postgres", "SELECT count(*) FROM pg_database WHERE " + scratchFilter());
    }

    private String scratchFilter() {
        return databases.values().stream()
                .map(db -> "datname LIKE '" + io.managedb.db.ScratchNames.pattern(db, "%") + "'")
                .collect(java.util.stream.Collectors.joining(" OR "));
    }

    /** Writes a file into the working directory, named by {@code prefix} and a hash of its content. */
    public Path writeFile(String prefix, String suffix, String content) {
        Path file = dir.resolve(prefix + Integer.toHexString(content.hashCode()) + suffix);
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes a .env file into the working directory. */
    public Path writeEnvFile(String content) {
        try {
            return Files.writeString(dir.resolve(".env"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
