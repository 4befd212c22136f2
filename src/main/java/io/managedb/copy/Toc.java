package io.managedb.copy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code pg_restore --list} table of contents. Entries are told apart by type and by the source's catalog OIDs
 * rather than by name (names may hold spaces). A line looks like
 * {@code 3399; 2606 17049 CONSTRAINT public actor actor_pkey postgres}: dump id, catalog, object OID, type, schema,
 * name, owner.
 */
final class Toc {
    private static final Pattern LINE = Pattern.compile("^(\\d+); (\\d+) (\\d+) (.*)$");

    /** One entry: the line as printed, the catalog holding the object, the object's OID in the source. */
    record Entry(String line, long catalog, long oid, String rest) {
        /** Whether this is an object of this type (not the data or attachment entry that shares its first word). */
        boolean is(String type) {
            return catalog != 0 && rest.startsWith(type + " ") && !rest.startsWith(type + " DATA ");
        }
    }

    private final List<Entry> entries;

    private Toc(List<Entry> entries) {
        this.entries = entries;
    }

    static Toc parse(String listing) {
        List<Entry> entries = new ArrayList<>();
        for (String line : listing.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                entries.add(new Entry(m.group(0), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), m.group(4)));
            }
        }
        return new Toc(entries);
    }

    /** The entries of one type, in the archive's (restore) order. */
    List<Entry> ofType(String type) {
        return entries.stream().filter(e -> e.is(type)).toList();
    }

    /** The OIDs of the objects of one type, in the archive's order. */
    List<Long> oids(String type) {
        return ofType(type).stream().map(Entry::oid).toList();
    }

    /** A {@code pg_restore --use-list} file's text restoring only these entries. */
    static String listOf(Collection<Entry> entries) {
        StringBuilder s = new StringBuilder();
        entries.forEach(e -> s.append(e.line()).append('\n'));
        return s.toString();
    }

    /** A {@code pg_restore --use-list} file's text restoring every entry but these. */
    String listWithout(Set<Entry> skipped) {
        StringBuilder s = new StringBuilder();
        entries.forEach(e -> s.append(skipped.contains(e) ? ";" : "").append(e.line()).append('\n'));
        return s.toString();
    }
}
