package io.managedb.migrate;

import java.util.List;

/** What {@code migrate validate} found: one line per problem (checksum mismatch, missing file, ...). */
public record ValidationResult(String environment, String database, boolean ok, List<String> problems) {
}
