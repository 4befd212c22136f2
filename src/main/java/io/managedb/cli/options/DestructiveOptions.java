package io.managedb.cli.options;

import io.managedb.safety.Guard;
import io.managedb.safety.Prompter;
import picocli.CommandLine.Mixin;

import java.time.Duration;

/** What every destructive command on one environment takes: {@code -e}, {@code -y}/{@code --confirm}, {@code --wait}. */
public final class DestructiveOptions {
    @Mixin public LockingTargetOptions target;

    @Mixin public ConfirmOptions confirm;

    /** The environment named with {@code -e}, or null for the active one. */
    public String env() {
        return target.env();
    }

    public Duration lockWait() {
        return target.lockWait();
    }

    /** The confirmation these options give, asking on {@code prompter} when they give none. */
    public Guard guard(Prompter prompter) {
        return confirm.guard(prompter);
    }
}
