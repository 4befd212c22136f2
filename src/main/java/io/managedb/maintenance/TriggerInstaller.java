package io.managedb.maintenance;

import io.managedb.config.Environment;

/**
 * The hook through which {@code init} installs managed triggers after migrations (the CLI plugs
 * {@code TriggerService.applyLocked} in); {@link #NONE} installs nothing, for application code that does not
 * want triggers.
 */
@FunctionalInterface
public interface TriggerInstaller {
    /** Installs or updates triggers; returns a one-line summary, or null when there is nothing to install. */
    String apply(Environment env);

    TriggerInstaller NONE = env -> null;
}
