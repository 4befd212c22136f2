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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The masking file ({@code db/masking.yml}): a map from {@code schema.table} to a map from column to transformer,
 * where a transformer is a name ({@code email}) or a map with {@code transformer:} and its arguments
 * ({@code {transformer: date_shift, days: 30}}). Whether the tables and columns exist is checked against the source
 * by {@link MaskingPlan}.
 *
 * @param tables rules by table ({@code schema.table}, unquoted), then by column, in the file's order
 */
public record MaskingRules(Path file, Map<String, Map<String, Rule>> tables) {

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
            return new MaskingRules(file, tables);
        }
        if (!root.isObject()) {
            throw ManageDbException.config(file + ": expected a map from schema.table to columns");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            String name = table.getKey();
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
        return new MaskingRules(file, tables);
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
