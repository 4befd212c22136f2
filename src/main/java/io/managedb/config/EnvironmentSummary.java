package io.managedb.config;

import java.util.Map;

/**
 * What {@code env list} and {@code env show} report of an environment: everything but the password.
 *
 * @param password how the password is provided: "url", "PGPASSWORD/.pgpass" or "none"
 */
public record EnvironmentSummary(String name, String url, String host, int port, String database, String user,
                                 String password, Map<String, String> parameters, boolean protectedEnv,
                                 boolean active, String source, boolean zeroConfigDefault) {

    public static EnvironmentSummary of(Config config, Environment env) {
        Target t = env.target();
        return new EnvironmentSummary(env.name(), t.masked(), t.host(), t.port(), t.database(), t.user(),
                t.password() == null ? "none (trust, peer or server-side auth)" : "set", t.params(),
                env.protectedEnv(), env.name().equals(config.activeName()), env.source(), env.zeroConfigDefault());
    }
}
