package io.managedb.backup;

import io.managedb.files.FileStamp;
import io.managedb.files.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * A cache of what {@link BackupCatalog} needs from each manifest (every field but the row counts), so that listing
 * thousands of backups does not parse thousands of 60 KB manifests. An entry is used only while its manifest file is
 * the very file that was parsed in full: same device, inode, size, modification and change time (the change time
 * cannot be set back by a user, so an edited manifest is always parsed again). Manifests changed less than
 * {@link #RACY} before the index was written are not cached, as a file system's clock tick could hide a second
 * write. The index is only a cache: unreadable, truncated, corrupted (its CRC-32) or foreign content makes it empty,
 * and a place it cannot be written to works as before. It lives outside the backup directory (in the user's cache
 * directory), so that reading the catalog never changes the backup directory.
 *
 * <p>The file is binary, read in one go (a listing of 10,000 backups reads it on a cold JVM): the magic line, the
 * entries' count, the entries, and the CRC-32 of all that. Strings are UTF-8 with their length; the values most
 * backups share (environment, database, versions, format, scope, label) are written once and referred to after.
 */
final class ManifestIndex {
    private static final byte[] MAGIC = "manage-db manifest index 6\n".getBytes(StandardCharsets.US_ASCII);
    private static final long RACY = TimeUnit.SECONDS.toNanos(2);

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
        if (file == null) {
            return new ManifestIndex(null, Map.of());
        }
        try {
            return new ManifestIndex(file, read(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            // missing, unreadable, damaged or not ours: a cache that starts empty
            return new ManifestIndex(file, Map.of());
        }
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
            byte[] bytes = bytes(current);
            PrivateFiles.privateDirectory(file.getParent());
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a read-only directory: nothing was written
            }
        }
    }

    /** The index file's content for these entries. */
    static byte[] bytes(Map<String, Entry> entries) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256 * entries.size() + 64);
        CheckedOutputStream checked = new CheckedOutputStream(buffer, new CRC32());
        Writer w = new Writer(new DataOutputStream(checked));
        w.out.write(MAGIC);
        w.out.writeInt(entries.size());
        for (var e : entries.entrySet()) {
            w.entry(e.getKey(), e.getValue());
        }
        w.out.flush();
        new DataOutputStream(buffer).writeLong(checked.getChecksum().getValue());
        return buffer.toByteArray();
    }

    /** The entries in an index file's content; an exception when it is not a whole index of this version. */
    static Map<String, Entry> read(byte[] bytes) {
        if (bytes.length < MAGIC.length + 12 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("not a manifest index of this version");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != in.getLong(bytes.length - 8)) {
            throw new IllegalArgumentException("damaged manifest index");
        }
        in.position(MAGIC.length).limit(bytes.length - 8);
        Reader r = new Reader(in);
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 40) { // an entry is longer than 40 bytes
            throw new IllegalArgumentException("damaged manifest index");
        }
        Map<String, Entry> entries = new HashMap<>(Math.max(16, count * 4 / 3 + 1));
        for (int i = 0; i < count; i++) {
            String name = r.string(false);
            entries.put(name, r.entry());
        }
        if (in.hasRemaining() || entries.size() != count) {
            throw new IllegalArgumentException("damaged manifest index");
        }
        return entries;
    }

    /**
     * Writes entries; a string is null (0), a new string (1, its UTF-8 length, its bytes) or, for the values backups
     * share, one written before (2 + its number).
     */
    private static final class Writer {
        final DataOutputStream out;
        private final Map<String, Integer> shared = new HashMap<>();

        Writer(DataOutputStream out) {
            this.out = out;
        }

        void entry(String name, Entry e) throws IOException {
            FileStamp s = e.stamp();
            Manifest m = e.summary();
            string(name, false);
            for (long v : new long[] {s.device(), s.inode(), s.size(), s.modifiedNanos(), s.changedNanos()}) {
                out.writeLong(v);
            }
            out.writeInt(m.manifestVersion());
            string(m.file(), false);
            string(m.environment(), true);
            string(m.database(), true);
            string(m.serverVersion(), true);
            string(m.pgDumpVersion(), true);
            string(m.format(), true);
            string(m.scope(), true);
            out.writeLong(m.sizeBytes());
            string(m.sha256(), false);
            instant(m.startedAt());
            instant(m.finishedAt());
            out.writeDouble(m.durationSeconds());
            string(m.schemaVersion(), true);
            string(m.toolVersion(), true);
            string(m.label(), true);
            out.writeBoolean(m.safety());
            Manifest.Encryption enc = m.encryption();
            out.writeBoolean(enc != null);
            if (enc != null) {
                string(enc.format(), true);
                out.writeInt(enc.recipients() == null ? -1 : enc.recipients().size());
                for (String recipient : enc.recipients() == null ? List.<String>of() : enc.recipients()) {
                    string(recipient, true);
                }
            }
            string(m.plaintextSha256(), false);
        }

        private void instant(Instant t) throws IOException {
            out.writeBoolean(t != null);
            if (t != null) {
                out.writeLong(t.getEpochSecond());
                out.writeInt(t.getNano());
            }
        }

        private void string(String s, boolean share) throws IOException {
            if (s == null) {
                out.writeInt(0);
                return;
            }
            Integer known = share ? shared.get(s) : null;
            if (known != null) {
                out.writeInt(2 + known);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(1);
            out.writeInt(utf8.length);
            out.write(utf8);
            if (share) {
                shared.put(s, shared.size());
            }
        }
    }

    /** Reads what {@link Writer} wrote; a {@link BufferUnderflowException} or another exception when it is damaged. */
    private static final class Reader {
        private final ByteBuffer in;
        private final List<String> shared = new ArrayList<>();

        Reader(ByteBuffer in) {
            this.in = in;
        }

        Entry entry() {
            FileStamp stamp = new FileStamp(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
            int version = in.getInt();
            String file = string(false);
            String environment = string(true);
            String database = string(true);
            String serverVersion = string(true);
            String pgDumpVersion = string(true);
            String format = string(true);
            String scope = string(true);
            long sizeBytes = in.getLong();
            String sha256 = string(false);
            Instant startedAt = instant();
            Instant finishedAt = instant();
            double duration = in.getDouble();
            String schemaVersion = string(true);
            String toolVersion = string(true);
            String label = string(true);
            boolean safety = bool();
            Manifest.Encryption encryption = null;
            if (bool()) {
                String encryptionFormat = string(true);
                int n = in.getInt();
                if (n < -1 || n > in.remaining()) {
                    throw new IllegalArgumentException("damaged manifest index");
                }
                List<String> recipients = n < 0 ? null : new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    recipients.add(string(true));
                }
                // as the manifest reader gives them (a null format or recipient stays null)
                encryption = new Manifest.Encryption(encryptionFormat, recipients == null ? null
                        : java.util.Collections.unmodifiableList(recipients));
            }
            String plaintextSha256 = string(false);
            return new Entry(stamp, new Manifest(version, file, environment, database, serverVersion, pgDumpVersion,
                    format, scope, sizeBytes, sha256, startedAt, finishedAt, duration, schemaVersion, toolVersion,
                    label, safety, null, encryption, plaintextSha256));
        }

        private boolean bool() {
            byte b = in.get();
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException("not a boolean");
            }
            return b == 1;
        }

        private Instant instant() {
            return bool() ? Instant.ofEpochSecond(in.getLong(), in.getInt()) : null;
        }

        String string(boolean share) {
            int code = in.getInt();
            if (code == 0) {
                return null;
            }
            if (code >= 2) {
                return shared.get(code - 2);
            }
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("damaged manifest index");
            }
            String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            if (share) {
                shared.add(s);
            }
            return s;
        }
    }
}
