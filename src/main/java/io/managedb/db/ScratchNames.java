package io.managedb.db;

import io.managedb.files.Checksums;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Names of manage-db's temporary databases: {@code <readable prefix>__mdb_<purpose>_<target hash>_<8 hex>}, at most
 * 63 bytes. The prefix keeps names readable; the hash of the target's full name is what ties a scratch database to
 * its target, so two databases whose names share a long prefix never share (or drop) each other's scratch databases.
 */
public final class ScratchNames {
    private static final int PREFIX = 24;

    private ScratchNames() {
    }

    public static String of(String database, String purpose, UUID id) {
        return base(database, purpose) + id.toString().substring(0, 8);
    }

    /** A LIKE pattern matching exactly the scratch databases of this purpose made for {@code database}. */
    public static String pattern(String database, String purpose) {
        return base(database, purpose).replace("_", "\\_") + "%";
    }

    private static String base(String database, String purpose) {
        String readable = database.replaceAll("[^A-Za-z0-9_]", "_");
        if (readable.length() > PREFIX) {
            readable = readable.substring(0, PREFIX);
        }
        return readable + "__mdb_" + purpose + "_" + hash(database) + "_";
    }

    /** 12 hex digits of the SHA-256 of the full name. */
    private static String hash(String database) {
        byte[] digest = Checksums.sha256().digest(database.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 6);
    }
}
