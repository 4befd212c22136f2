package io.managedb.drift;

import java.util.List;

/**
 * How an environment's live schema differs from the expected one.
 *
 * @param against  {@code migrations} or the other environment's name
 * @param version  with {@code migrations}: the applied version the expected schema was built up to
 * @param missing  objects expected but not in the environment ({@code index public.idx_x})
 * @param extra    objects in the environment but not expected
 * @param changed  objects in both whose definitions differ
 * @param compared how many objects the two schemas hold together
 */
public record DriftReport(String environment, String against, String version, List<String> missing,
                          List<String> extra, List<Change> changed, int compared, boolean drift) {

    /** An object whose definition differs: what differs, and both definitions. */
    public record Change(String object, String difference, String expected, String actual) {
    }

    /** {@code drift prod against migrations: 3 differences (1 missing, 1 extra, 1 changed)}. */
    public String summary() {
        int n = missing.size() + extra.size() + changed.size();
        return "drift " + environment + " against " + against + (version == null ? "" : " (version " + version + ")")
                + ": " + (n == 0 ? "no drift (" + compared + " objects compared)" : n + " difference"
                + (n == 1 ? "" : "s") + " (" + missing.size() + " missing, " + extra.size() + " extra, "
                + changed.size() + " changed)");
    }
}
