package io.managedb.triggers;

/** One trigger as {@code triggers list} shows it. */
public record TriggerInfo(String table, String name, String timing, String events, String function, boolean enabled,
                          String managedBy) {
}
