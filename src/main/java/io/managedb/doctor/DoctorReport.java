package io.managedb.doctor;

import java.util.List;

/**
 * Every check of one environment, in the order they ran.
 *
 * @param failedChecks the names of the checks that failed
 */
public record DoctorReport(String environment, String target, boolean quick, List<DoctorCheck> checks, int passed,
                           int failed, int skipped, List<String> failedChecks, boolean ok) {

    public static DoctorReport of(String environment, String target, boolean quick, List<DoctorCheck> checks) {
        List<String> failed = checks.stream().filter(DoctorCheck::failed).map(DoctorCheck::name).toList();
        int passed = (int) checks.stream().filter(DoctorCheck::ok).count();
        int skipped = (int) checks.stream().filter(DoctorCheck::skipped).count();
        return new DoctorReport(environment, target, quick, List.copyOf(checks), passed, failed.size(), skipped,
                failed, failed.isEmpty());
    }

    /** {@code doctor prod: 11 passed, 1 failed (restore drill), 1 skipped}. */
    public String summary() {
        return "doctor " + environment + ": " + passed + " passed, " + failed + " failed"
                + (failed == 0 ? "" : " (" + String.join(", ", failedChecks) + ")") + ", " + skipped + " skipped";
    }
}
