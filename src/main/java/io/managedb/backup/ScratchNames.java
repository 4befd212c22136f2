package io.managedb.backup;

import java.util.UUID;

/** Names of manage-db's temporary databases: {@code <database>__mdb_<purpose>_<8 hex>}, at most 63 bytes. */
public final class ScratchNames {
    private ScratchNames() {
    }

    public static String of(String database, String purpose, UUID id) {
        String base = database.replaceAll("[^A-Za-z0-9_]", "_");
        if (base.length() > 36) {
            base = base.substring(0, 36);
        }
        return base + "__mdb_" + purpose + "_" + id.toString().substring(0, 8);
    }

    /** A LIKE pattern matching every scratch database of this purpose made for {@code database}. */
    public static String pattern(String database, String purpose) {
        String base = database.replaceAll("[^A-Za-z0-9_]", "_");
        if (base.length() > 36) {
            base = base.substring(0, 36);
        }
        return base.replace("_", "\\_") + "\\_\\_mdb\\_" + purpose + "\\_%";
    }
}
