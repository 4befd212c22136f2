package io.managedb.storage;

import io.managedb.files.FileStamp;
import io.managedb.files.Trees;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.Objects;

/**
 * Where backups are kept: a local directory ({@link LocalRepository}) or a prefix of an S3 bucket
 * ({@code S3Repository}, created by {@link Repositories} only for {@code s3://} locations). It stores named items
 * (a file or object, or a tree of them for a directory archive) and knows nothing of manifests: the backup package
 * decides what is published and what is stale. A new item becomes visible under its name only once complete.
 */
public interface Repository {
    /** Where it is, for messages and output: a directory, or {@code s3://bucket/prefix/}. */
    String location();

    /** The address of one item, for messages and output: its path or {@code s3://} URL. */
    String address(String name);

    /**
     * A new private directory for staging this repository's items on the way in or out (a directory archive of a
     * bucket), under the temporary root it was opened with; the caller removes it. A local directory is read and
     * written in place, so it has no temporary root of its own and stages (if ever) under {@code java.io.tmpdir}.
     */
    default Path temporaryDirectory(String prefix) throws IOException {
        return Trees.privateTemporaryDirectory(Trees.temporaryRoot(Map.of()), prefix);
    }

    /** The item as a local path, or null when the repository is not a local directory. */
    Path localPath(String name);

    /** One item directly in the repository; a directory archive is one item. */
    final class Item {
        private final String name;
        private final FileStamp stamp;
        private final boolean directory;
        private Path unread;
        private long size;
        private Instant modified;

        public Item(String name, boolean directory, long size, Instant modified, FileStamp stamp) {
            this.name = Objects.requireNonNull(name, "name");
            this.directory = directory;
            this.size = size;
            this.modified = modified;
            this.stamp = stamp;
        }

        private Item(String name, Path unread) {
            this(name, false, 0, Instant.EPOCH, null);
            this.unread = unread;
        }

        /**
         * A local file whose size and time are read when first asked for: a backup file beside its manifest, of
         * which a listing of thousands of backups needs only the name.
         */
        public static Item later(String name, Path file) {
            return new Item(name, file);
        }

        public String name() {
            return name;
        }

        public boolean directory() {
            return directory;
        }

        public long size() {
            read();
            return size;
        }

        public Instant modified() {
            read();
            return modified;
        }

        public FileStamp stamp() {
            return stamp;
        }

        private void read() {
            if (unread == null) {
                return;
            }
            try {
                java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(unread,
                        java.nio.file.attribute.BasicFileAttributes.class);
                size = a.size();
                modified = a.lastModifiedTime().toInstant();
            } catch (IOException gone) {
                // deleted since it was listed (a concurrent prune): nothing to tell
            }
            unread = null;
        }
    }

    /**
     * An item opened for reading, and what names that very content in its store (an object's strong ETag), or null
     * where the store names none (a local file: its {@link io.managedb.files.FileStamp} tells a change).
     */
    record Opened(InputStream in, String version) {
    }

    /** Opens a single-file item, with the version of the content it reads where the store names one. */
    default Opened openVersion(String name) throws IOException {
        return new Opened(open(name), null);
    }

    /**
     * Opens a single-file item only as that version ({@link #openVersion}; null: as it is now); a
     * {@link io.managedb.core.ManageDbException} (exit 7) when it has changed since.
     */
    default InputStream open(String name, String version) throws IOException {
        return open(name);
    }

    /** Every complete item, in no particular order; empty when the repository does not exist yet. */
    List<Item> list() throws IOException;

    /** Whether an item of this name exists (a file, object or tree). */
    boolean exists(String name) throws IOException;

    /** Reads a single-file item; {@link java.nio.file.NoSuchFileException} when there is none. */
    InputStream open(String name) throws IOException;

    /** The bytes of a small item (a manifest), or null when there is none. */
    byte[] readSmall(String name) throws IOException;

    /** The size of an item: a file's, or the sum of a tree's files. */
    long size(String name) throws IOException;

    /** Whether the item is a tree (a directory archive). */
    boolean isTree(String name) throws IOException;

    /** Streams a new single-file item; it appears under its name only on {@link Upload#publish()}. */
    Upload create(String name) throws IOException;

    /** A new tree item, written locally first (pg_dump writes a directory archive's files itself). */
    TreeUpload createTree(String name) throws IOException;

    /** Copies a tree item into an empty local directory (to hand a directory archive to pg_restore). */
    void fetchTree(String name, Path into) throws IOException;

    /**
     * Creates a small item unless one of that name exists (the commit marker of a backup). When one exists, it counts
     * as created only if its content is exactly {@code content} (a retried request whose first attempt landed).
     *
     * @return false when another item holds the name
     */
    boolean createOnce(String name, byte[] content) throws IOException;

    /** Deletes an item (a file, an object, or every object of a tree); nothing when it does not exist. */
    void delete(String name) throws IOException;

    /**
     * Removes what interrupted writes of matching names left: partial files in a directory; in a bucket, multipart
     * uploads that were never completed and complete items without their commit marker.
     *
     * @param mine         names this cleanup may touch (one environment's database)
     * @param markerSuffix an item {@code NAME} is complete only with an item {@code NAME + markerSuffix} (its
     *                     manifest), which is written last
     */
    void removeStale(Predicate<String> mine, String markerSuffix) throws IOException;

    /** A single-file item being written. Closing it without {@link #publish()} discards it. */
    interface Upload extends Closeable {
        OutputStream stream();

        /**
         * Makes the content complete and durable (fsync, or the completed multipart upload) but not yet published.
         *
         * @return the name it can be read back under meanwhile: {@code NAME.partial} in a directory; in a bucket the
         *         name itself (a complete object without its manifest is never a good backup)
         */
        String finish() throws IOException;

        /** Publishes the finished item under its name (a rename in a directory; nothing more in a bucket). */
        void publish() throws IOException;

        /** Discards the item; safe to call from another thread (a shutdown hook) and more than once. */
        void abort();

        @Override
        void close();
    }

    /** A tree item being written into a local directory. Closing it without {@link #commit()} discards it. */
    abstract class TreeUpload implements Closeable {
        private final Path directory;
        private boolean committed;

        protected TreeUpload(Path directory) {
            this.directory = directory;
        }

        /** The (existing, empty) directory to write the files into. */
        public final Path directory() { return directory; }

        public final void commit() throws IOException {
            publish(directory);
            committed = true;
        }

        /** Makes the files written into {@code directory} the item. */
        protected abstract void publish(Path directory) throws IOException;

        @Override
        public final void close() {
            cleanUp(directory, committed);
        }

        /** Removes what was staged, and, when not {@code committed}, what was published of it. */
        protected abstract void cleanUp(Path directory, boolean committed);
    }
}
