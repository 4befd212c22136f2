package io.managedb.maintenance;

import io.managedb.config.Environment;

/**
 * The hook through which {@code init} installs managed triggers after migrations (the CLI plugs
 * {@code TriggerService.applyLocked} in); {@link #NONE} installs nothing, for application code that does not
 * want triggers.
 */
@FunctionalInterface
public interface TriggerInstaller {
    /** Installs or updates triggers; returns what it did, or null when there is nothing to install. */
    Installed apply(Environment env);

    TriggerInstaller NONE = env -> null;

    /**
     * What installing the triggers did.
     *
     * @param changed whether any trigger was created, replaced or removed
     * @param summary one line for the operator
     */
    record Installed(boolean changed, String summary) {
    }
}
