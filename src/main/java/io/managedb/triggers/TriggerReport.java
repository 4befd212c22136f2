package io.managedb.triggers;

import java.util.List;

/**
 * What {@code triggers apply} did (or would do with dryRun): objects created, replaced, removed or left alone.
 * {@code upToDate} is true when nothing needed to change.
 */
public record TriggerReport(String environment, String database, boolean dryRun, List<String> created,
                            List<String> replaced, List<String> removed, List<String> unchanged, boolean upToDate) {
}
