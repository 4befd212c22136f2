package io.managedb.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What identifies a file's content without reading it: device, inode, size, modification and change times. Any
 * write to the file or its replacement under the same name changes it; the change time cannot be set by a program
 * (only the clock sets it), so a file whose stamp is unchanged still holds the bytes it held when the stamp was
 * taken. Lets a check done once (a SHA-256 read, a manifest parsed in full) stand for the next use of the same file.
 */
public record FileStamp(long device, long inode, long size, long modifiedNanos, long changedNanos) {
    /** The attributes a stamp is made of, for {@link Files#readAttributes(Path, String, LinkOption...)}. */
    public static final String UNIX_ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    /** The stamp of a regular file; null for a directory, a missing file or a file system without these times. */
    public static FileStamp of(Path path) {
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return of(Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The stamp in attributes read with {@link #UNIX_ATTRIBUTES} (and maybe more); null when some are missing. */
    public static FileStamp of(Map<String, Object> unix) {
        if (unix.get("dev") instanceof Long dev && unix.get("ino") instanceof Long ino
                && unix.get("size") instanceof Long size && unix.get("lastModifiedTime") instanceof FileTime m
                && unix.get("ctime") instanceof FileTime c) {
            return new FileStamp(dev, ino, size, m.to(TimeUnit.NANOSECONDS), c.to(TimeUnit.NANOSECONDS));
        }
        return null;
    }

    // written out, not the record's own (a method handle per call on a cold JVM): 10,000 compared by backup list
    @Override
    public boolean equals(Object o) {
        return o instanceof FileStamp s && device == s.device && inode == s.inode && size == s.size
                && modifiedNanos == s.modifiedNanos && changedNanos == s.changedNanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(inode) * 31 + Long.hashCode(modifiedNanos);
    }

    /** Whether {@code path} still has this stamp. */
    public boolean matches(Path path) {
        return equals(of(path));
    }
}
