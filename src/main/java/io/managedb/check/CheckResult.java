package io.managedb.check;

import io.managedb.core.ExitCode;

import java.util.List;

/** The result of {@code check}: one entry per environment checked. */
public record CheckResult(List<EnvironmentCheck> environments) {

    /** 4 when any environment is unreachable, else 7 when any has a problem, else 0. */
    public ExitCode exitCode() {
        if (environments.stream().anyMatch(e -> !e.reachable())) {
            return ExitCode.UNREACHABLE;
        }
        return environments.stream().allMatch(EnvironmentCheck::healthy) ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
}
