package io.managedb.migrate;

import java.util.List;

/** What {@code migrate repair} changed in the history table. */
public record RepairSummary(String environment, String database, List<String> removedFailed, List<String> aligned,
                            List<String> markedDeleted) {
}
