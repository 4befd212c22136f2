package io.managedb.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * What identifies a file's content without reading it: device, inode, size, modification and change times. Any
 * write to the file or its replacement under the same name changes it; the change time cannot be set by a program
 * (only the clock sets it), so a file whose stamp is unchanged still holds the bytes it held when the stamp was
 * taken. Lets a check done once (a SHA-256 read) stand for the next use of the same file.
 */
public record FileStamp(Map<String, Object> attributes) {
    private static final String UNIX = "unix:dev,ino,size,lastModifiedTime,ctime";

    /** The stamp of a regular file; null for a directory, a missing file or a file system without these times. */
    public static FileStamp of(Path path) {
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return new FileStamp(Map.copyOf(Files.readAttributes(path, UNIX, LinkOption.NOFOLLOW_LINKS)));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code path} still has this stamp. */
    public boolean matches(Path path) {
        return equals(of(path));
    }
}
