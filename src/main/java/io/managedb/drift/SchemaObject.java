package io.managedb.drift;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One object of a schema, as comparable text: its kind ({@code table}, {@code column}, {@code index}, ...), its
 * identity ({@code public.film.title}, {@code public.f(integer)}), and its normalised definition as named parts (a
 * column's type, nullability and default; an index's {@code pg_get_indexdef}; ...).
 */
public record SchemaObject(String kind, String name, Map<String, String> parts) {
    public SchemaObject {
        parts = Map.copyOf(new java.util.TreeMap<>(parts));
    }

    /** {@code index public.idx_x}: what reports name. */
    public String id() {
        return kind + " " + name;
    }

    /** The definition in one text: the single part as it is, else {@code name: value} parts in name order. */
    public String definition() {
        if (parts.size() == 1 && parts.containsKey("definition")) {
            return parts.get("definition");
        }
        return new java.util.TreeMap<>(parts).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** What differs from {@code expected}: {@code type integer -> bigint}; a long definition just "differs". */
    public String difference(SchemaObject expected) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(parts.keySet());
        names.addAll(expected.parts.keySet());
        return names.stream().filter(n -> !java.util.Objects.equals(parts.get(n), expected.parts.get(n)))
                .map(n -> {
                    String was = expected.parts.getOrDefault(n, "(none)");
                    String now = parts.getOrDefault(n, "(none)");
                    return n.equals("definition") || was.length() + now.length() > 80 || was.contains("\n")
                            || now.contains("\n") ? n + " differs" : n + " " + was + " -> " + now;
                })
                .collect(Collectors.joining("; "));
    }
}
