package io.managedb.backup;

import java.time.Instant;

/**
 * One item of the backup directory.
 *
 * @param status   {@code ok} (complete, with a manifest), {@code partial} (unfinished or stale), {@code no-manifest}
 *                 (never treated as good), {@code missing-file} (a manifest whose backup is gone) or
 *                 {@code bad-manifest}
 * @param manifest the manifest, when there is a readable one
 */
public record BackupEntry(String path, String name, String status, Manifest manifest, long sizeBytes,
                          Instant createdAt) {

    public boolean good() {
        return status.equals("ok");
    }
}
