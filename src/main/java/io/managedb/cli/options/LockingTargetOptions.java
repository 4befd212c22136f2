package io.managedb.cli.options;

import picocli.CommandLine.Mixin;

import java.time.Duration;

/** {@code -e} and {@code --wait}: for commands that change one environment's database under its lock. */
public final class LockingTargetOptions {
    @Mixin public TargetOptions target;

    @Mixin public WaitOptions waitOptions;

    /** The environment named with {@code -e}, or null for the active one. */
    public String env() {
        return target.env;
    }

    public Duration lockWait() {
        return waitOptions.duration();
    }
}
