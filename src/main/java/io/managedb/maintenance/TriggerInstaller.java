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
    /** Installs or updates triggers while init holds the lock; returns what it did, or null for nothing to install. */
    Installed apply(Environment env, TargetLock lock);

    TriggerInstaller NONE = (env, lock) -> null;

    /**
     * What installing the triggers did.
     *
     * @param changed whether any trigger was created, replaced or removed
     * @param summary one line for the operator
     */
    record Installed(boolean changed, String summary) {
    }
}
