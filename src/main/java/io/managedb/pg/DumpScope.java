package io.managedb.pg;

import java.util.Locale;

/** Which parts of a database a dump, backup or copy takes: everything, the schema only, or the data only. */
public enum DumpScope {
    FULL, SCHEMA_ONLY, DATA_ONLY;

    /** As in manifests and output: full, schema-only, data-only. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
