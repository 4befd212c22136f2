package io.managedb.triggers;

import io.managedb.config.Config;
import io.managedb.config.Setting;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Which triggers manage-db manages: the enabled built-in sets ({@code updated_at}, {@code audit}), the columns the
 * updated_at triggers keep current, the audited table patterns and excluded columns, and the project trigger files'
 * directory.
 */
public record TriggerSettings(List<String> sets, List<String> updatedAtColumns, List<String> auditTables,
                              List<String> auditExcludeColumns, Path filesDir) {

    public static TriggerSettings of(Config config) {
        return new TriggerSettings(list(config.get(Setting.TRIGGERS)), list(config.get(Setting.UPDATED_AT_COLUMNS)),
                list(config.get(Setting.AUDIT_TABLES)), list(config.get(Setting.AUDIT_EXCLUDE_COLUMNS)),
                config.path(Setting.TRIGGERS_DIR));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    boolean enabled(String set) {
        return sets.contains(set);
    }
}
