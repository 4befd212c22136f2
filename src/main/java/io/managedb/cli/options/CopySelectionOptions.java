package io.managedb.cli.options;

import io.managedb.pg.DumpScope;
import io.managedb.copy.CopyOptions;
import io.managedb.subset.SubsetOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** What {@code copy} copies: its scope, pg_dump-style table patterns and the subset of the rows. */
public final class CopySelectionOptions {
    @ArgGroup(exclusive = true) ScopeOptions scope;

    static final class ScopeOptions {
        @Option(names = "--schema-only", description = "Replace the target's schema with the source's, no data.")
        boolean schemaOnly;

        @Option(names = "--data-only", description = "Keep the target's schema; replace the selected tables' rows.")
        boolean dataOnly;
    }

    @Option(names = "--table", paramLabel = "PATTERN", description = "Only these tables (repeatable).")
    public List<String> tables = new ArrayList<>();

    @Option(names = "--exclude-table", paramLabel = "PATTERN", description = "Not these tables (repeatable).")
    public List<String> excludeTables = new ArrayList<>();

    @Option(names = "--exclude-table-data", paramLabel = "PATTERN",
            description = "These tables' definitions but not their rows (repeatable).")
    public List<String> excludeTableData = new ArrayList<>();

    @Option(names = "--subset", paramLabel = "TABLE:WHERE", description = "Only these rows of the table"
            + " (an SQL condition; repeatable), plus every row they reference, following foreign keys.")
    public List<String> subsets = new ArrayList<>();

    @Option(names = "--subset-percent", paramLabel = "N", description = "A sample of N %% (0 < N <= 100) of each root"
            + " table (one that no other table references), plus every row it references.") public Double subsetPercent;

    @Option(names = "--with-children", description = "With --subset/--subset-percent: also the rows that reference"
            + " the chosen rows (and their children's), with every row those reference.") public boolean withChildren;

    /** The subset asked for, or null: every row. */
    public SubsetOptions subset() {
        return SubsetOptions.of(subsets, subsetPercent, withChildren);
    }

    public DumpScope scope() {
        return scope == null ? DumpScope.FULL
                : scope.schemaOnly ? DumpScope.SCHEMA_ONLY : DumpScope.DATA_ONLY;
    }
}
