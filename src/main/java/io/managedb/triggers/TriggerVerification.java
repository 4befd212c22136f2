package io.managedb.triggers;

import java.util.List;

/** What {@code triggers verify} found: every problem named; ok when there is none. */
public record TriggerVerification(String environment, String database, int checked, List<String> problems,
                                  boolean ok) {
}
