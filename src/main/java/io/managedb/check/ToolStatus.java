package io.managedb.check;

/** A pg tool as {@code check} sees it: its version and whether it can work with the server. */
public record ToolStatus(String tool, String version, String path, boolean compatible, String problem) {
}
