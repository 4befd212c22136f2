package io.managedb.masking;

import java.util.List;

/**
 * What a masked copy does to each column of the copied tables (a partitioned table's partitions as the table).
 *
 * @param columns   every stored column, with the transformer it gets
 * @param uncovered the personal columns (MANAGE_DB_PERSONAL_COLUMNS) that no rule covers, as schema.table.column
 */
public record MaskingReport(String rulesFile, List<MaskedColumn> columns, List<String> uncovered) {
    /**
     * One column.
     *
     * @param transformer the rule ({@code hash}, {@code date_shift(days=30)}), or null: copied as it is (no rule)
     * @param via         {@code rule}, or {@code key <schema.table.column>} when it is masked like the key it references
     * @param personal    whether its name matches MANAGE_DB_PERSONAL_COLUMNS
     */
    public record MaskedColumn(String table, String column, String transformer, String via, boolean personal) {
    }
}
