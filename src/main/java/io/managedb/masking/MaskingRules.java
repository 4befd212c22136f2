package io.managedb.masking;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.managedb.core.ManageDbException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The masking file ({@code db/masking.yml}): a map from {@code schema.table} to a map from column to transformer,
 * where a transformer is a name ({@code email}) or a map with {@code transformer:} and its arguments
 * ({@code {transformer: date_shift, days: 30}}). Whether the tables and columns exist is checked against the source
 * by {@link MaskingPlan}. Its one other top-level key, {@code virtual_foreign_keys:}, lists relations the schema does not
 * declare, for subsets: {@code - from: public.rental_note (rental_id)} and {@code to: public.rental (rental_id)} (the
 * columns of {@code to} may be left out: its primary key).
 *
 * @param tables      rules by table ({@code schema.table}, unquoted), then by column, in the file's order
 * @param virtualKeys the file's virtual foreign keys, in its order
 */
public record MaskingRules(Path file, Map<String, Map<String, Rule>> tables, List<VirtualKey> virtualKeys) {
    /** The top-level key of the virtual foreign keys. */
    public static final String VIRTUAL_KEYS = "virtual_foreign_keys";
    private static final Pattern ENDPOINT = Pattern.compile("\\s*([^\\s(]+)\\s*(?:\\(([^)]*)\\))?\\s*");

    /**
     * A relation the schema does not declare: {@code from}'s columns hold values of {@code to}'s.
     *
     * @param where      where it is in the file, for messages ({@code virtual_foreign_keys[1]})
     * @param toColumns  empty: {@code to}'s primary key
     */
    public record VirtualKey(String where, String from, List<String> fromColumns, String to, List<String> toColumns) {
    }

    /** The file's rules, or none when it does not exist (a copy that only needs its virtual foreign keys). */
    public static MaskingRules loadIfExists(Path file) {
        return Files.exists(file) ? load(file) : new MaskingRules(file, Map.of(), List.of());
    }

    /** Reads and checks the file; exit 3 naming the file and what is wrong in it. */
    public static MaskingRules load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ManageDbException.config("masking rules file " + file + " does not exist (MANAGE_DB_MASKING_FILE)");
        } catch (IOException e) {
            throw ManageDbException.config("cannot read masking rules file " + file + ": " + e.getMessage());
        }
        return parse(file, text);
    }

    static MaskingRules parse(Path file, String text) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JacksonException e) {
            throw ManageDbException.config(file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        Map<String, Map<String, Rule>> tables = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new MaskingRules(file, tables, List.of());
        }
        if (!root.isObject()) {
            throw ManageDbException.config(file + ": expected a map from schema.table to columns");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            String name = table.getKey();
            if (name.equals(VIRTUAL_KEYS)) {
                continue;
            }
            if (!name.matches("[^.]+\\.[^.]+")) {
                throw ManageDbException.config(file + ": '" + name + "' is not schema.table");
            }
            if (!table.getValue().isObject()) {
                throw ManageDbException.config(file + ": " + name + ": expected a map from column to transformer");
            }
            Map<String, Rule> columns = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> c = table.getValue().fields(); c.hasNext(); ) {
                Map.Entry<String, JsonNode> column = c.next();
                columns.put(column.getKey(), rule(file + ": " + name + "." + column.getKey(), column.getKey(),
                        column.getValue()));
            }
            tables.put(name, columns);
        }
        return new MaskingRules(file, tables, virtualKeys(file, root.path(VIRTUAL_KEYS)));
    }

    private static List<VirtualKey> virtualKeys(Path file, JsonNode list) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw ManageDbException.config(file + ": " + VIRTUAL_KEYS + " must be a list of {from: schema.table (column),"
                    + " to: schema.table (column)}");
        }
        List<VirtualKey> keys = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = file + ": " + VIRTUAL_KEYS + "[" + (i + 1) + "]";
            JsonNode k = list.get(i);
            Matcher from = ENDPOINT.matcher(k.path("from").asText(""));
            Matcher to = ENDPOINT.matcher(k.path("to").asText(""));
            if (!k.isObject() || !from.matches() || !to.matches() || from.group(2) == null) {
                throw ManageDbException.config(where + ": expected {from: schema.table (column, ...),"
                        + " to: schema.table (column, ...)}, the columns of to optional (its primary key)");
            }
            keys.add(new VirtualKey(VIRTUAL_KEYS + "[" + (i + 1) + "]", from.group(1), columns(from.group(2)),
                    to.group(1), to.group(2) == null ? List.of() : columns(to.group(2))));
        }
        return List.copyOf(keys);
    }

    private static List<String> columns(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
    }

    private static Rule rule(String where, String column, JsonNode node) {
        if (node.isNull()) {
            return Rule.of(where, column, "null", Map.of()); // `email: null` as well as `email: "null"`
        }
        if (node.isTextual()) {
            return Rule.of(where, column, node.asText(), Map.of());
        }
        if (!node.isObject() || !node.path("transformer").isTextual()) {
            throw ManageDbException.config(where + ": expected a transformer name or a map with 'transformer:'");
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> arg = it.next();
            if (arg.getKey().equals("transformer")) {
                continue;
            }
            if (!arg.getValue().isValueNode()) {
                throw ManageDbException.config(where + ": argument '" + arg.getKey() + "' must be a single value");
            }
            if (arg.getValue().isNull()) {
                throw ManageDbException.config(where + ": argument '" + arg.getKey() + "' has no value");
            }
            args.put(arg.getKey(), arg.getValue().asText());
        }
        return Rule.of(where, column, node.get("transformer").asText(), args);
    }
}
