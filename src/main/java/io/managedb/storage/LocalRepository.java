package io.managedb.storage;

import io.managedb.files.Checksums;
import io.managedb.files.FileStamp;
import io.managedb.files.PrivateFiles;
import io.managedb.files.Trees;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A backup directory on a local file system. New items are written as {@code NAME.partial} (0600, in a 0700
 * directory), fsynced and renamed to {@code NAME}; the next run removes stale partial files.
 */
public final class LocalRepository implements Repository {
    static final String PARTIAL = ".partial";
    private static final String MANIFEST_ATTRIBUTES = FileStamp.UNIX_ATTRIBUTES + ",isDirectory";

    private final Path dir;
    private final String prefix;

    public LocalRepository(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.prefix = this.dir.toString().endsWith("/") ? this.dir.toString() : this.dir + "/";
    }

    /** The repository of a file's directory and the file's name in it. */
    public static LocalRepository ofFile(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return new LocalRepository(abs.getParent());
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public String address(String name) {
        // a listing of thousands of backups asks for every name's address: no Path for a plain name
        return name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")
                ? dir.resolve(name).toString() : prefix.concat(name);
    }

    @Override
    public Path localPath(String name) {
        return dir.resolve(name);
    }

    @Override
    public List<Item> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        // the paths as listed (a name that the JVM's charset cannot spell still reaches its file; a directory that
        // cannot be read to its end is an error, not a shorter listing)
        Map<String, Path> paths = new HashMap<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path p : list) {
                paths.put(p.getFileName().toString(), p);
            }
        } catch (java.nio.file.DirectoryIteratorException e) {
            throw e.getCause();
        }
        List<Item> items = new ArrayList<>(paths.size());
        List<Path> toStat = new ArrayList<>(paths.size() / 2 + 1);
        // each name in a method of its own: a loop body run thousands of times in one call stays interpreted
        for (var e : paths.entrySet()) {
            sort(e.getKey(), e.getValue(), paths, items, toStat);
        }
        for (Path p : toStat) {
            try {
                items.add(item(p));
            } catch (NoSuchFileException gone) {
                // deleted while the directory was listed (a concurrent prune): not in it
            }
        }
        return items;
    }

    /**
     * A file beside its manifest is not read now: the manifest says what it is (one stat per backup); the others
     * are stat'ed.
     */
    private static void sort(String name, Path path, Map<String, Path> paths, List<Item> items, List<Path> toStat) {
        if (!name.endsWith(".json") && !name.endsWith(".dir") && paths.containsKey(name.concat(".json"))) {
            items.add(Item.later(name, path));
        } else {
            toStat.add(path);
        }
    }

    /** One stat per item; the identity of manifests ({@code .json}) too, for the catalog's index. */
    private static Item item(Path p) throws IOException {
        String name = p.getFileName().toString();
        if (name.endsWith(".json")) {
            try {
                Map<String, Object> a = Files.readAttributes(p, MANIFEST_ATTRIBUTES);
                return new Item(name, (Boolean) a.get("isDirectory"), (Long) a.get("size"),
                        ((FileTime) a.get("lastModifiedTime")).toInstant(), FileStamp.of(a));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // no unix view: no stamp
            }
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return new Item(name, a.isDirectory(), a.size(), a.lastModifiedTime().toInstant(), null);
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(dir.resolve(name));
    }

    @Override
    public byte[] readSmall(String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    @Override
    public long size(String name) throws IOException {
        return Checksums.size(dir.resolve(name));
    }

    @Override
    public boolean isTree(String name) {
        return Files.isDirectory(dir.resolve(name));
    }

    @Override
    public Upload create(String name) throws IOException {
        Path target = dir.resolve(name);
        Path partial = freshPartial(name);
        PrivateFiles.privateFile(partial);
        FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        return new Upload() {
            private volatile boolean done;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public String finish() throws IOException {
                out.flush();
                ch.force(true);
                ch.close();
                return partial.getFileName().toString();
            }

            @Override
            public void publish() throws IOException {
                publishNew(partial, target);
                done = true;
            }

            @Override
            public void abort() {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // deleted below either way
                }
                Trees.deleteRecursively(partial);
            }

            @Override
            public void close() {
                if (!done) {
                    abort();
                }
            }
        };
    }

    /** Renames a complete item to its final name, which must not exist yet (a backup is never overwritten). */
    private static void publishNew(Path partial, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        PrivateFiles.publish(partial, target);
    }

    @Override
    public TreeUpload createTree(String name) throws IOException {
        Path partial = freshPartial(name);
        Files.createDirectory(partial, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PrivateFiles.DIR));
        return new TreeUpload(partial) {
            @Override
            protected void publish(Path directory) throws IOException {
                PrivateFiles.makePrivate(directory);
                PrivateFiles.syncTree(directory);
                publishNew(directory, dir.resolve(name));
            }

            @Override
            protected void cleanUp(Path directory, boolean committed) {
                if (!committed) {
                    Trees.deleteRecursively(directory);
                }
            }
        };
    }

    /** Where an item is written before it is published, in the private directory, with no leftover of it. */
    private Path freshPartial(String name) throws IOException {
        PrivateFiles.privateDirectory(dir);
        Path partial = dir.resolve(name + PARTIAL);
        Trees.deleteRecursively(partial);
        return partial;
    }

    @Override
    public void fetchTree(String name, Path into) throws IOException {
        Path from = dir.resolve(name);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                Path to = into.resolve(from.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    @Override
    public boolean createOnce(String name, byte[] content) throws IOException {
        Path target = dir.resolve(name);
        Path partial = dir.resolve(name + PARTIAL);
        try {
            PrivateFiles.writePartial(partial, content);
            if (Files.exists(target)) {
                return Arrays.equals(Files.readAllBytes(target), content);
            }
            PrivateFiles.publish(partial, target);
            return true;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Path p = dir.resolve(name);
        if (Files.isDirectory(p)) {
            Trees.deleteRecursively(p);
        } else {
            Files.deleteIfExists(p);
        }
    }

    /** Partial files only: a complete file is never deleted here, manifest or not. */
    @Override
    public void removeStale(Predicate<String> mine, String markerSuffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(PARTIAL) && mine.test(n.substring(0, n.length() - PARTIAL.length()));
            }).forEach(Trees::deleteRecursively);
        }
    }
}
