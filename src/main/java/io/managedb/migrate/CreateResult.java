package io.managedb.migrate;

/** The two files {@code migrate create} wrote: the migration and its undo script. */
public record CreateResult(String version, String migration, String undo) {
}
