package io.managedb.doctor;

import io.managedb.core.ExitCode;

import java.util.List;

/** The result of {@code doctor}: one report per environment; ok when no check failed anywhere. */
public record DoctorResult(List<DoctorReport> environments, boolean ok) {

    public static DoctorResult of(List<DoctorReport> reports) {
        return new DoctorResult(List.copyOf(reports), reports.stream().allMatch(DoctorReport::ok));
    }

    /** 7 when any check failed, else 0. */
    public ExitCode exitCode() {
        return ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
}
