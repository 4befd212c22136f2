package io.managedb.backup;

import io.managedb.files.FileStamp;
import io.managedb.files.PrivateFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A cache of what {@link BackupCatalog} needs from each manifest (every field but the row counts), so that listing
 * thousands of backups does not parse thousands of 60 KB manifests. An entry is used only while its manifest file is
 * the very file that was parsed in full: same inode, size, modification and change time (the change time cannot be
 * set back by a user, so an edited manifest is always parsed again). Manifests changed less than {@link #RACY} before
 * the index was written are not cached, as a file system's clock tick could hide a second write. The index is only a
 * cache: unreadable, truncated or foreign content makes it empty, and a place it cannot be written to works as
 * before. It lives outside the backup directory (in the user's cache directory), so that reading the catalog never
 * changes the backup directory.
 */
final class ManifestIndex {
    private static final String HEADER = "manage-db manifest index 4";
    private static final long RACY = TimeUnit.SECONDS.toNanos(2);
    private static final int FIELDS = 5 + 20 + 1; // name, stamp (less its device), summary, the device

    record Entry(FileStamp stamp, Manifest summary) {
    }

    private final Path file;
    private final Map<String, Entry> loaded;
    private final Map<String, Entry> current = new HashMap<>();
    private boolean changed;

    private ManifestIndex(Path file, Map<String, Entry> loaded) {
        this.file = file;
        this.loaded = loaded;
    }

    /** The index kept in {@code file}; empty when there is none or it cannot be read; none at all for null. */
    static ManifestIndex load(Path file) {
        Map<String, Entry> entries = new HashMap<>();
        if (file == null) {
            return new ManifestIndex(null, Map.of());
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (!HEADER.equals(r.readLine())) {
                return new ManifestIndex(file, Map.of());
            }
            String line;
            int count = 0;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("end ")) {
                    return Integer.parseInt(line.substring(4)) == count && r.readLine() == null
                            ? new ManifestIndex(file, entries) : new ManifestIndex(file, Map.of());
                }
                List<String> f = split(line);
                if (f.size() != FIELDS) {
                    return new ManifestIndex(file, Map.of());
                }
                entries.put(f.get(0), new Entry(new FileStamp(Long.parseLong(f.get(25)), Long.parseLong(f.get(1)),
                        Long.parseLong(f.get(2)), Long.parseLong(f.get(3)), Long.parseLong(f.get(4))), manifest(f)));
                count++;
            }
        } catch (IOException | RuntimeException e) {
            // missing, unreadable or not ours: a cache that starts empty
        }
        return new ManifestIndex(file, Map.of());
    }

    /** The cached summary of a manifest file, when the file is still the one that was parsed. */
    Manifest lookup(String manifestName, FileStamp stamp) {
        Entry e = stamp == null ? null : loaded.get(manifestName);
        if (e == null || !e.stamp().equals(stamp)) {
            return null;
        }
        current.put(manifestName, e);
        return e.summary();
    }

    /** Records a manifest just parsed in full. */
    void put(String manifestName, FileStamp stamp, Manifest summary) {
        changed = true;
        if (stamp != null && System.currentTimeMillis() * 1_000_000L - Math.max(stamp.modifiedNanos(),
                stamp.changedNanos()) > RACY) {
            current.put(manifestName, new Entry(stamp, summary));
        }
    }

    /** Writes the index when it changed (a manifest parsed, or one gone); failures are ignored. */
    void saveIfChanged() {
        if (file == null || !changed && current.size() == loaded.size()) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()) + ".tmp");
        try {
            PrivateFiles.privateDirectory(file.getParent());
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                w.write('\n');
                StringBuilder line = new StringBuilder(512);
                for (var e : current.entrySet()) {
                    line.setLength(0);
                    write(line, e.getKey(), e.getValue());
                    w.append(line).append('\n');
                }
                w.write("end " + current.size() + "\n");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a read-only directory: nothing was written
            }
        }
    }

    private static void write(StringBuilder b, String name, Entry e) {
        FileStamp s = e.stamp();
        Manifest m = e.summary();
        Object[] fields = {name, s.inode(), s.size(), s.modifiedNanos(), s.changedNanos(), m.manifestVersion(),
                m.file(), m.environment(), m.database(), m.serverVersion(), m.pgDumpVersion(), m.format(), m.scope(),
                m.sizeBytes(), m.sha256(), epoch(m.startedAt()), epoch(m.finishedAt()), m.durationSeconds(), m.schemaVersion(),
                m.toolVersion(), m.label(), m.safety(), m.encryption() == null ? null : m.encryption().format(),
                m.encryption() == null ? null : String.join(",", m.encryption().recipients()), m.plaintextSha256(),
                s.device()};
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append('\t');
            }
            escape(b, fields[i]);
        }
    }

    private static Manifest manifest(List<String> f) {
        return new Manifest(Integer.parseInt(f.get(5)), f.get(6), f.get(7), f.get(8), f.get(9), f.get(10),
                f.get(11), f.get(12), Long.parseLong(f.get(13)), f.get(14), instant(f.get(15)), instant(f.get(16)),
                Double.parseDouble(f.get(17)), f.get(18), f.get(19), f.get(20), bool(f.get(21)), null,
                f.get(22) == null ? null : new Manifest.Encryption(f.get(22), f.get(23) == null || f.get(23).isEmpty()
                        ? List.of() : List.of(f.get(23).split(","))), f.get(24));
    }

    /** An instant as {@code SECONDS.NANOS} since the epoch: parsed much faster than ISO-8601. */
    private static String epoch(Instant t) {
        return t == null ? null : t.getEpochSecond() + "." + t.getNano();
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        int dot = s.indexOf('.');
        return Instant.ofEpochSecond(Long.parseLong(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
    }

    private static boolean bool(String s) {
        if (!"true".equals(s) && !"false".equals(s)) {
            throw new IllegalArgumentException("not a boolean");
        }
        return s.equals("true");
    }

    /** Null is {@code \N}; backslash, tab, newline and carriage return are escaped. */
    static void escape(StringBuilder b, Object value) {
        if (value == null) {
            b.append("\\N");
            return;
        }
        String s = value.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
    }

    /** The fields of one line, unescaped ({@code \N} alone is null). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>(FIELDS);
        int start = 0;
        while (true) {
            int tab = line.indexOf('\t', start);
            int end = tab < 0 ? line.length() : tab;
            int escape = line.indexOf('\\', start);
            out.add(escape < 0 || escape >= end ? line.substring(start, end) : unescape(line, start, end));
            if (tab < 0) {
                return out;
            }
            start = tab + 1;
        }
    }

    private static String unescape(String line, int start, int end) {
        if (end - start == 2 && line.charAt(start + 1) == 'N') {
            return null;
        }
        StringBuilder cur = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (c != '\\') {
                cur.append(c);
                continue;
            }
            if (++i == end) {
                throw new IllegalArgumentException("dangling escape");
            }
            switch (line.charAt(i)) {
                case '\\' -> cur.append('\\');
                case 't' -> cur.append('\t');
                case 'n' -> cur.append('\n');
                case 'r' -> cur.append('\r');
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
        return cur.toString();
    }
}
