package io.managedb.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.managedb.core.ManageDbException;
import io.managedb.config.Config;
import io.managedb.config.Setting;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the migrations are and how Flyway treats them: the migration directories (the first one is where
 * {@code migrate create} writes), the history table, the schemas, and placeholder replacement with its values.
 * Sources, highest priority first: the MANAGE_DB_* settings, then a Flyway CLI configuration in the project directory
 * ({@code flyway.toml}, else {@code flyway.conf}), then the defaults.
 *
 * @param locations    migration directories, absolute
 * @param table        the history table (null: Flyway's flyway_schema_history)
 * @param schemas      the schemas Flyway manages, the first holds the history table (empty: the connection's)
 * @param placeholders whether {@code ${name}} placeholders are replaced
 * @param values       placeholder values by name (names are case-insensitive, as in Flyway)
 * @param source       the Flyway configuration file that was read, or null
 */
public record MigrationSettings(List<Path> locations, String table, List<String> schemas, boolean placeholders,
                                Map<String, String> values, Path source) {
    static final String PLACEHOLDER_PREFIX = "MANAGE_DB_PLACEHOLDER_";
    private static final String DEFAULT_TABLE = "flyway_schema_history";

    public MigrationSettings {
        locations = List.copyOf(locations);
        schemas = List.copyOf(schemas);
        values = Map.copyOf(values);
    }

    /** One directory, Flyway's defaults otherwise, placeholders off. */
    public static MigrationSettings of(Path migrationsDir) {
        return new MigrationSettings(List.of(migrationsDir), null, List.of(), false, Map.of(), null);
    }

    /** The directory {@code migrate create} writes to. */
    public Path dir() {
        return locations.get(0);
    }

    /** The history table's name. */
    public String historyTable() {
        return table == null ? DEFAULT_TABLE : table;
    }

    /** Resolves the settings of a configuration and the Flyway file beside its .env file. */
    public static MigrationSettings load(Config config) {
        Path base = config.baseDir();
        FlywayFile file = FlywayFile.find(base);
        List<Path> locations = explicit(config, Setting.MIGRATIONS_DIR.key()) || file == null || file.locations.isEmpty()
                ? List.of(config.path(Setting.MIGRATIONS_DIR)) : file.locations;
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null) {
            file.placeholders.forEach((k, v) -> values.put(k.toLowerCase(Locale.ROOT), v));
        }
        config.settings().forEach((key, value) -> {
            if (key.startsWith(PLACEHOLDER_PREFIX) && key.length() > PLACEHOLDER_PREFIX.length()) {
                values.put(key.substring(PLACEHOLDER_PREFIX.length()).toLowerCase(Locale.ROOT), value);
            }
        });
        String mode = config.settings().getOrDefault(Setting.PLACEHOLDERS.key(), "").strip().toLowerCase(Locale.ROOT);
        boolean placeholders = switch (mode) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            case "" -> file != null && file.placeholderReplacement;
            default -> throw ManageDbException.config(Setting.PLACEHOLDERS.key() + ": expected on or off");
        };
        return new MigrationSettings(locations, file == null ? null : file.table,
                file == null ? List.of() : file.schemas, placeholders, values, file == null ? null : file.path);
    }

    private static boolean explicit(Config config, String key) {
        String value = config.settings().get(key);
        return value != null && !value.isBlank();
    }

    /** What a flyway.toml or flyway.conf says about migrations (connection settings are manage-db's own). */
    private record FlywayFile(Path path, List<Path> locations, String table, List<String> schemas,
                              Map<String, String> placeholders, boolean placeholderReplacement) {

        static FlywayFile find(Path base) {
            Path toml = base.resolve("flyway.toml");
            if (Files.isRegularFile(toml)) {
                return toml(toml, base);
            }
            Path conf = base.resolve("flyway.conf");
            return Files.isRegularFile(conf) ? conf(conf, base) : null;
        }

        static FlywayFile conf(Path path, Path base) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw ManageDbException.config("cannot read " + path + ": " + e.getMessage());
            }
            Map<String, String> placeholders = new LinkedHashMap<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("flyway.placeholders.")) {
                    placeholders.put(key.substring("flyway.placeholders.".length()), p.getProperty(key));
                }
            }
            return new FlywayFile(path, locations(list(p.getProperty("flyway.locations")), path, base),
                    blankToNull(p.getProperty("flyway.table")), list(p.getProperty("flyway.schemas")), placeholders,
                    !"false".equalsIgnoreCase(p.getProperty("flyway.placeholderReplacement", "true").strip()));
        }

        /**
         * Flyway 10+: {@code [flyway]} holds locations, table, placeholders (and schemas); the environment named by
         * {@code flyway.environment} (default {@code default}) holds schemas and may override the rest in its own
         * {@code flyway} table.
         */
        static FlywayFile toml(Path path, Path base) {
            JsonNode root;
            try {
                root = new TomlMapper().readTree(path.toFile());
            } catch (IOException e) {
                throw ManageDbException.config("cannot read " + path + ": " + FlywayErrors.firstLine(e.getMessage()));
            }
            JsonNode flyway = root.path("flyway");
            String envName = flyway.path("environment").asText("default");
            JsonNode env = root.path("environments").path(envName);
            JsonNode envFlyway = env.path("flyway");
            List<String> locations = strings(first(envFlyway, flyway, "locations"));
            JsonNode schemas = env.has("schemas") ? env.get("schemas") : first(envFlyway, flyway, "schemas");
            Map<String, String> placeholders = new LinkedHashMap<>();
            flyway.path("placeholders").fields().forEachRemaining(e -> placeholders.put(e.getKey(), e.getValue().asText()));
            envFlyway.path("placeholders").fields().forEachRemaining(e -> placeholders.put(e.getKey(),
                    e.getValue().asText()));
            JsonNode replacement = first(envFlyway, flyway, "placeholderReplacement");
            return new FlywayFile(path, locations(locations, path, base),
                    blankToNull(first(envFlyway, flyway, "table").asText(null)), strings(schemas), placeholders,
                    replacement.isMissingNode() || replacement.asBoolean(true));
        }

        private static JsonNode first(JsonNode preferred, JsonNode fallback, String field) {
            return preferred.has(field) ? preferred.get(field) : fallback.path(field);
        }

        private static List<String> strings(JsonNode node) {
            if (node.isArray()) {
                List<String> values = new ArrayList<>();
                node.forEach(n -> values.add(n.asText()));
                return values.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            }
            return node.isMissingNode() || node.isNull() ? List.of() : list(node.asText());
        }

        private static List<String> list(String value) {
            return value == null ? List.of()
                    : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        /** {@code filesystem:dir} (or a bare dir) relative to the project directory; classpath locations cannot work. */
        private static List<Path> locations(List<String> values, Path file, Path base) {
            List<Path> dirs = new ArrayList<>();
            for (String v : values) {
                if (v.startsWith("classpath:")) {
                    throw ManageDbException.config(file.getFileName() + ": location " + v
                            + " is on a Java classpath, which manage-db does not have; use filesystem:DIR");
                }
                dirs.add(base.resolve(v.startsWith("filesystem:") ? v.substring("filesystem:".length()) : v)
                        .toAbsolutePath().normalize());
            }
            return dirs;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}
