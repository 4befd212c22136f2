package io.managedb.config;

/**
 * A named environment (dev, test, prod, ...) and the database it points at.
 *
 * @param source           where its URL came from, e.g. {@code PROD_DATABASE_URL (.env)}
 * @param zeroConfigDefault true when no DEV_DATABASE_URL is configured and dev means the local server
 * @param protectedEnv     listed in MANAGE_DB_PROTECTED_ENVS
 */
public record Environment(String name, Target target, String source, boolean zeroConfigDefault,
                          boolean protectedEnv) {
    public Environment {
        target = target.forEnvironment(name); // so that errors about its connections name the environment
    }
}
