package io.managedb.masking;

import io.managedb.core.ManageDbException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One column's rule from the masking file: a transformer and its arguments, checked when the file is read.
 *
 * @param seed the name that, with the secret and the value, seeds the transformer: the column's own name, or its
 *             {@code seed:} argument, or (for a foreign-key column masked like the key it references) that key's
 */
public record Rule(String transformer, Map<String, String> args, String seed) {
    /** Every transformer, with the arguments it takes (required ones first, as the error messages say). */
    static final Map<String, List<String>> TRANSFORMERS = transformers();
    private static final Map<String, Set<String>> REQUIRED = Map.of("constant", Set.of("value"),
            "date_shift", Set.of("days"), "sql", Set.of("expr"));

    private static Map<String, List<String>> transformers() {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("null", List.of());
        t.put("keep", List.of());
        t.put("constant", List.of("value"));
        t.put("hash", List.of("seed"));
        t.put("email", List.of("seed"));
        t.put("name", List.of("part", "seed"));
        t.put("phone", List.of("seed"));
        t.put("address", List.of("seed"));
        t.put("date_shift", List.of("days"));
        t.put("noise", List.of("percent", "seed"));
        t.put("sql", List.of("expr"));
        return t;
    }

    public Rule {
        args = Map.copyOf(args);
    }

    /**
     * Checks a rule as written for {@code where} (file: table.column, for messages); exit 3 naming what is wrong.
     */
    static Rule of(String where, String column, String transformer, Map<String, String> args) {
        List<String> known = TRANSFORMERS.get(transformer);
        if (known == null) {
            throw ManageDbException.config(where + ": unknown transformer '" + transformer + "' (known: "
                    + String.join(", ", TRANSFORMERS.keySet()) + ")");
        }
        for (String arg : args.keySet()) {
            if (!known.contains(arg)) {
                throw ManageDbException.config(where + ": transformer " + transformer + " takes no argument '" + arg
                        + "'" + (known.isEmpty() ? "" : " (it takes: " + String.join(", ", known) + ")"));
            }
        }
        for (String arg : REQUIRED.getOrDefault(transformer, Set.of())) {
            if (args.get(arg) == null || args.get(arg).isBlank()) {
                throw ManageDbException.config(where + ": transformer " + transformer + " needs '" + arg + "'");
            }
        }
        if (transformer.equals("date_shift")) {
            positive(where, "days", args.get("days"), true);
        }
        if (args.containsKey("percent")) {
            positive(where, "percent", args.get("percent"), false);
        }
        if (args.containsKey("part") && !List.of("first", "last", "full").contains(args.get("part"))) {
            throw ManageDbException.config(where + ": name's part is first, last or full, not '" + args.get("part")
                    + "'");
        }
        return new Rule(transformer, args, args.getOrDefault("seed", column));
    }

    private static void positive(String where, String arg, String value, boolean integer) {
        try {
            double v = integer ? Integer.parseInt(value) : Double.parseDouble(value);
            if (v > 0 && Double.isFinite(v)) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ManageDbException.config(where + ": '" + arg + "' must be a positive " + (integer ? "integer" : "number")
                + ", not '" + value + "'");
    }

    /** Whether the transformer needs {@code MANAGE_DB_MASKING_SECRET} (its output is seeded from it). */
    public boolean seeded() {
        return !List.of("null", "keep", "constant", "sql").contains(transformer);
    }

    /** Whether the output depends on the value alone, so that a key and the columns referencing it agree. */
    boolean valueOnly() {
        return !List.of("sql", "date_shift", "noise").contains(transformer);
    }

    /** The same transformation for another column (one that references this rule's column). */
    Rule seededAs(String seedName) {
        return new Rule(transformer, args, seedName);
    }

    /** As the dry run shows it: {@code hash}, {@code date_shift(days=30)}. */
    public String describe() {
        if (args.isEmpty()) {
            return transformer;
        }
        StringBuilder s = new StringBuilder(transformer).append('(');
        new java.util.TreeMap<>(args).forEach((k, v) -> s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ")
                .append(k).append('=').append(v));
        return s.append(')').toString();
    }
}
