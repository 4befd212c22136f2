package io.managedb.copy;

import java.nio.file.Path;
import java.util.List;

/**
 * Masking for a copy.
 *
 * @param mode            off (refused out of a protected environment when the source has personal columns), masked
 *                        (--masked: the rules apply), or unmasked (--unmasked: copied as they are, once confirmed)
 * @param rulesFile       MANAGE_DB_MASKING_FILE
 * @param secret          MANAGE_DB_MASKING_SECRET, or null; never shown
 * @param personalColumns MANAGE_DB_PERSONAL_COLUMNS
 */
public record Masking(Mode mode, Path rulesFile, String secret, List<String> personalColumns) {
    public enum Mode {
        OFF, MASKED, UNMASKED
    }

    public Masking {
        personalColumns = List.copyOf(personalColumns);
    }

    /** No masking, and no personal columns looked for. */
    public static Masking none() {
        return new Masking(Mode.OFF, null, null, List.of());
    }

    public boolean masked() {
        return mode == Mode.MASKED;
    }

    @Override
    public String toString() {
        return "Masking[mode=" + mode + ", rulesFile=" + rulesFile + ", secret=" + (secret == null ? "none" : "***")
                + ", personalColumns=" + personalColumns + "]";
    }
}
