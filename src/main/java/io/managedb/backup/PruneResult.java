package io.managedb.backup;

import java.util.List;

/** What {@code backup prune} kept and deleted (or would delete, with dryRun), each with the reason. */
public record PruneResult(boolean dryRun, List<Item> kept, List<Item> deleted) {

    /** A backup and why it is kept or deleted. */
    public record Item(String path, String createdAt, String reason) {
    }
}
