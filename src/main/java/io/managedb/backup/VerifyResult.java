package io.managedb.backup;

import java.util.List;

/** What {@code backup verify} found: one line per check; exit 7 when any failed. */
public record VerifyResult(String path, boolean ok, List<Check> checks) {

    /** One check and its outcome. */
    public record Check(String name, boolean ok, String detail) {
    }
}
