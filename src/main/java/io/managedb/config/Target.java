package io.managedb.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One database to connect to, resolved from an environment's URL with libpq's defaults applied. JDBC and the
 * pg tools are both configured from this record, so they connect with the same parameters. {@link #toString()}
 * is masked: the password never appears in it.
 *
 * @param params      libpq connection parameters beyond host/port/dbname/user/password (sslmode, sslrootcert, ...)
 * @param environment the environment this target belongs to, for messages (null: none)
 */
public record Target(String host, int port, String database, String user, String password,
                     Map<String, String> params, String environment) {

    public Target {
        params = Map.copyOf(params);
    }

    public Target(String host, int port, String database, String user, String password, Map<String, String> params) {
        this(host, port, database, user, password, params, null);
    }

    public Target forEnvironment(String name) {
        return new Target(host, port, database, user, password, params, name);
    }

    public boolean unixSocket() {
        return host.startsWith("/");
    }

    public Target withDatabase(String name) {
        return new Target(host, port, name, user, password, params, environment);
    }

    /** This target with a server setting given at connection start ({@code options=-c name=value}). */
    public Target withSetting(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        String setting = "-c " + name + "=" + value;
        p.merge("options", setting, (a, b) -> a + " " + b);
        return new Target(host, port, database, user, password, p, environment);
    }

    /** Same server and same database, as far as the URLs tell. */
    public boolean sameDatabaseAs(Target other) {
        return normalHost().equals(other.normalHost()) && port == other.port && database.equals(other.database);
    }

    private String normalHost() {
        return host.equals("127.0.0.1") || host.equals("::1") ? "localhost" : host;
    }

    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + (unixSocket() ? "localhost" : h) + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** JDBC connection properties, including the password: pass them to the driver, never print them. */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "manage-db");
        params.forEach((k, v) -> p.setProperty(LibpqParam.of(k).orElseThrow().jdbcProperty(),
                k.equals("target_session_attrs") ? targetServerType(v) : v));
        if (unixSocket()) {
            p.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
            p.setProperty("socketFactoryArg", host + "/.s.PGSQL." + port);
        }
        return p;
    }

    private static String targetServerType(String libpq) {
        return switch (libpq) {
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            default -> "any";
        };
    }

    /** The PG* environment variables a child pg tool needs to connect here (no password: see PgPassFile). */
    public Map<String, String> libpqEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        env.put("PGUSER", user);
        env.put("PGAPPNAME", "manage-db");
        params.forEach((k, v) -> env.put(LibpqParam.of(k).orElseThrow().environmentVariable(), v));
        return env;
    }

    /** The URL with the password replaced by {@code ***}. */
    public String masked() {
        StringBuilder s = new StringBuilder("postgresql://").append(user);
        if (password != null) {
            s.append(":***");
        }
        s.append('@').append(unixSocket() ? "" : host.contains(":") ? "[" + host + "]" : host);
        if (!unixSocket()) {
            s.append(':').append(port);
        }
        s.append('/').append(database);
        StringBuilder query = new StringBuilder();
        if (unixSocket()) {
            query.append("host=").append(host).append("&port=").append(port);
        }
        params.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                query.append(query.length() > 0 ? "&" : "").append(e.getKey()).append('=').append(e.getValue()));
        return query.length() > 0 ? s + "?" + query : s.toString();
    }

    @Override
    public String toString() {
        return masked();
    }
}
