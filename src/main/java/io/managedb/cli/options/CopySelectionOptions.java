package io.managedb.cli.options;

import io.managedb.copy.CopyOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** What {@code copy} copies: its scope and pg_dump-style table patterns. */
public final class CopySelectionOptions {
    @ArgGroup(exclusive = true)
    ScopeOptions scope;

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

    public CopyOptions.Scope scope() {
        return scope == null ? CopyOptions.Scope.FULL
                : scope.schemaOnly ? CopyOptions.Scope.SCHEMA_ONLY : CopyOptions.Scope.DATA_ONLY;
    }
}
