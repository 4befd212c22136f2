package io.managedb.copy;

import io.managedb.masking.MaskingReport;
import io.managedb.subset.SubsetReport;

import java.util.List;

/**
 * What {@code copy} did (or with dryRun would do).
 *
 * @param tables          the tables copied (schema.table), as pg_dump selected them
 * @param replaced        what of the target was replaced, in words
 * @param rowsCopied      rows in the copied tables afterwards (null for a dry run or schema-only copy)
 * @param targetSizeBytes the target database's size afterwards
 * @param masking         with --masked: every column of the copied tables and its transformer; else null
 * @param refusal         a dry run's only: why the copy itself would be refused (personal data), or null
 * @param subset          a subset copy's rows per table (a dry run's: those it would copy); else null
 */
public record CopyResult(String from, String to, String sourceDatabase, String targetDatabase, String scope,
                         boolean dryRun, List<String> tables, String replaced, Long rowsCopied, Long targetSizeBytes,
                         String safetyBackup, int sessionsTerminated, double durationSeconds, MaskingReport masking,
                         String refusal, SubsetReport subset) {
}
