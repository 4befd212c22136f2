package io.managedb.maintenance;

import io.managedb.config.Environment;

/**
 * The hook through which {@code init} installs managed triggers after migrations. The triggers feature plugs in
 * here; until it does, {@link #NONE} installs nothing.
 */
@FunctionalInterface
public interface TriggerInstaller {
    /** Installs or updates triggers; returns a one-line summary, or null when there is nothing to install. */
    String apply(Environment env);

    TriggerInstaller NONE = env -> null;
}
