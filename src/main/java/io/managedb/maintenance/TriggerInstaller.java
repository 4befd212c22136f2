package io.managedb.maintenance;

import io.managedb.config.Environment;
import io.managedb.db.TargetLock;

/**
 * The hook through which {@code init} installs managed triggers after migrations (the CLI plugs
 * {@code TriggerService.apply} in, with the lock init holds); {@link #NONE} installs nothing, for application code that does not
 * want triggers.
 */
@FunctionalInterface
public interface TriggerInstaller {
    /** Installs or updates triggers; returns a one-line summary, or null when there is nothing to install. */
    String apply(Environment env, TargetLock lock);

    TriggerInstaller NONE = (env, lock) -> null;
}
