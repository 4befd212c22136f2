package io.managedb.subset;

import java.util.List;
import java.util.Map;

/**
 * A subset copy's rows.
 *
 * @param conditions   the {@code --subset} conditions
 * @param percent      {@code --subset-percent}, or null
 * @param rootTables   with a percent: the root tables it sampled
 * @param rows         the rows per copied table ({@code schema.table}; 0 for the tables none of whose rows are in it)
 * @param totalRows    their sum
 */
public record SubsetReport(List<String> conditions, Double percent, List<String> rootTables, boolean withChildren,
                           Map<String, Long> rows, long totalRows) {
}
