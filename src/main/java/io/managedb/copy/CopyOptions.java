package io.managedb.copy;

import io.managedb.pg.DumpScope;
import io.managedb.subset.SubsetOptions;

import java.time.Duration;
import java.util.List;

/**
 * What to copy and how.
 *
 * @param tables           pg_dump {@code -t} patterns (empty: every table)
 * @param excludeTables    pg_dump {@code -T} patterns
 * @param excludeTableData pg_dump {@code --exclude-table-data} patterns
 * @param jobs             1: stream pg_dump into pg_restore; more: a {@link ParallelCopy} with that many workers
 * @param masking          masked, unmasked or neither (see {@link Masking})
 * @param subset           the rows to copy ({@code --subset}, {@code --subset-percent}); null: every row
 */
public record CopyOptions(DumpScope scope, List<String> tables, List<String> excludeTables, List<String> excludeTableData,
                          int jobs, boolean safetyBackup, boolean dryRun, Duration lockWait, Masking masking,
                          SubsetOptions subset) {


    public CopyOptions {
        tables = List.copyOf(tables);
        excludeTables = List.copyOf(excludeTables);
        excludeTableData = List.copyOf(excludeTableData);
        masking = masking == null ? Masking.none() : masking;
    }

    public CopyOptions(DumpScope scope, List<String> tables, List<String> excludeTables, List<String> excludeTableData,
                       int jobs, boolean safetyBackup, boolean dryRun, Duration lockWait) {
        this(scope, tables, excludeTables, excludeTableData, jobs, safetyBackup, dryRun, lockWait, Masking.none(), null);
    }

    /**
     * Whether rows go through ParallelCopy's relay: with several jobs, and always when masked or a subset (that is
     * where those happen).
     */
    boolean relayed() {
        return jobs > 1 || (masking.masked() || subset != null) && scope != DumpScope.DATA_ONLY;
    }

    /** A full copy with one job, a safety backup first and no waiting for the lock. */
    public static CopyOptions defaults() {
        return new CopyOptions(DumpScope.FULL, List.of(), List.of(), List.of(), 1, true, false, Duration.ZERO);
    }

    boolean filtered() {
        return !tables.isEmpty() || !excludeTables.isEmpty() || !excludeTableData.isEmpty();
    }
}
