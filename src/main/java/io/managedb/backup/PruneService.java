package io.managedb.backup;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Retention: keeps what a {@link RetentionPolicy} keeps and deletes the rest. It only ever considers complete,
 * manifested backups of one environment's database (never another database's files, partials or foreign files),
 * never deletes the newest good backup, and keeps safety backups unless asked.
 */
public final class PruneService {
    private final BackupCatalog catalog;

    public PruneService(BackupCatalog catalog) {
        this.catalog = catalog;
    }

    public PruneResult prune(String environment, String database, RetentionPolicy policy, boolean includeSafety,
                             boolean dryRun) {
        validate(policy);
        io.managedb.storage.Repository repo = catalog.repository(environment);
        List<BackupEntry> good = catalog.good(environment, database);
        List<BackupEntry> candidates = good.stream().filter(e -> includeSafety || !e.manifest().safety()).toList();
        // by identity: each entry is one backup, and hashing 10,000 records hashes 10,000 manifests
        Map<BackupEntry, String> keep = new IdentityHashMap<>();
        if (!good.isEmpty()) {
            keep.put(good.get(0), "newest");
        }
        if (!includeSafety) {
            good.stream().filter(e -> e.manifest().safety()).forEach(e -> keep.putIfAbsent(e, "safety backup"));
        }
        keepBuckets(candidates, policy.keepLast(), e -> e.path(), "last", keep);
        keepBuckets(candidates, policy.keepDaily(), e -> utc(e).toLocalDate().toString(), "daily", keep);
        keepBuckets(candidates, policy.keepWeekly(), e -> utc(e).get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + utc(e).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), "weekly", keep);
        keepBuckets(candidates, policy.keepMonthly(), e -> utc(e).getYear() + "-" + utc(e).getMonthValue(), "monthly",
                keep);
        List<PruneResult.Item> kept = new ArrayList<>();
        List<PruneResult.Item> deleted = new ArrayList<>();
        for (BackupEntry e : good) {
            sort(e, keep.get(e), kept, deleted, dryRun ? null : repo);
        }
        return new PruneResult(dryRun, kept, deleted);
    }

    /**
     * Kept (for its reason) or deleted (in {@code repo}; null: a dry run); a method of its own, compiled once it has
     * run a few times: thousands of backups.
     */
    private static void sort(BackupEntry e, String keptFor, List<PruneResult.Item> kept, List<PruneResult.Item> deleted,
                             io.managedb.storage.Repository repo) {
        if (keptFor != null) {
            kept.add(new PruneResult.Item(e.path(), e.createdAt().toString(), keptFor));
            return;
        }
        deleted.add(new PruneResult.Item(e.path(), e.createdAt().toString(), "not kept by the policy"));
        if (repo != null) {
            delete(new StoredBackup(repo, e.name()));
        }
    }

    /** A usage error (exit 2) unless the policy keeps something; {@link #prune} checks it too. */
    public static void validate(RetentionPolicy p) {
        String[] names = {"--keep-last", "--keep-daily", "--keep-weekly", "--keep-monthly"};
        int[] values = {p.keepLast(), p.keepDaily(), p.keepWeekly(), p.keepMonthly()};
        for (int i = 0; i < names.length; i++) {
            if (values[i] < 0) {
                throw new ManageDbException(ExitCode.USAGE, names[i] + " " + values[i] + ": N must be 0 or more");
            }
        }
        if (!p.given()) {
            throw new ManageDbException(ExitCode.USAGE, "give at least one of --keep-last, --keep-daily,"
                    + " --keep-weekly, --keep-monthly");
        }
        if (p.empty()) {
            throw new ManageDbException(ExitCode.USAGE, "every rule given keeps 0 backups, which would delete all"
                    + " but the newest good backup; give N of 1 or more (--keep-last 1 keeps only the newest)");
        }
    }

    /** Keeps the newest backup of each of the first {@code n} distinct buckets (newest first). */
    private static void keepBuckets(List<BackupEntry> newestFirst, int n, Function<BackupEntry, String> bucket,
                                    String rule, Map<BackupEntry, String> keep) {
        Set<String> seen = new HashSet<>();
        for (BackupEntry e : newestFirst) {
            if (seen.size() >= n) {
                return;
            }
            if (seen.add(bucket.apply(e))) {
                keep.merge(e, rule, (a, b) -> a + ", " + b);
            }
        }
    }

    private static ZonedDateTime utc(BackupEntry e) {
        return e.createdAt().atZone(ZoneOffset.UTC);
    }

    /** Deletes the backup first, then its manifest: nothing ever looks good without being complete. */
    private static void delete(StoredBackup backup) {
        try {
            backup.repository().delete(backup.name());
            backup.repository().delete(backup.manifestName());
        } catch (java.io.IOException e) {
            throw ManageDbException.failed("cannot delete " + backup.address() + ": " + e.getMessage(), e);
        }
    }
}
