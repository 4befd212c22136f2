package io.managedb.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

class FileStampTest {
    @Test
    void anyWriteOrReplacementChangesTheStampEvenWithTheSameSizeAndModificationTime(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("a.dump"), "PGDMP same size");
        FileStamp stamp = FileStamp.of(file);
        assertThat(stamp).isNotNull();
        assertThat(stamp.matches(file)).as("untouched").isTrue();

        FileTime modified = Files.getLastModifiedTime(file);
        Thread.sleep(20);
        Files.writeString(file, "PGDMP SAME SIZE"); // rewritten in place, then its mtime set back
        Files.setLastModifiedTime(file, modified);
        assertThat(stamp.matches(file)).as("rewritten in place, mtime restored").isFalse();

        FileStamp again = FileStamp.of(file);
        Path other = Files.writeString(dir.resolve("b.dump"), "PGDMP SAME SIZE");
        Files.setLastModifiedTime(other, modified);
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(again.matches(file)).as("replaced by another file").isFalse();

        assertThat(FileStamp.of(dir)).as("a directory has none").isNull();
        assertThat(FileStamp.of(dir.resolve("missing"))).isNull();
    }
}
