package io.managedb.doctor;

/**
 * One building block proved (or not) on an environment.
 *
 * @param status ok, failed or skipped
 * @param millis how long it took (0 when skipped)
 * @param detail what was found, why it failed, or why it was skipped
 */
public record DoctorCheck(String name, String status, long millis, String detail) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public boolean ok() {
        return OK.equals(status);
    }

    public boolean failed() {
        return FAILED.equals(status);
    }

    public boolean skipped() {
        return SKIPPED.equals(status);
    }
}
