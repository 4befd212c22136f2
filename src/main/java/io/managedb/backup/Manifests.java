package io.managedb.backup;

import io.managedb.files.PrivateFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.managedb.core.ManageDbException;

import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes backup manifests ({@code <backup>.json}), atomically and 0600. */
public final class Manifests {
    /** The mapper that writes manifests, started by the first write only (reads use {@link ManifestReader}). */
    private static final class Writer {
        static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private Manifests() {
    }

    /** The manifest path of a backup file or directory. */
    public static Path of(Path backup) {
        return backup.resolveSibling(backup.getFileName() + ".json");
    }

    /** The manifest of a backup, or null when it has none. */
    public static Manifest read(Path backup) {
        Path file = of(backup);
        if (!java.nio.file.Files.isRegularFile(file)) {
            return null;
        }
        try {
            return ManifestReader.read(file);
        } catch (IOException e) {
            throw ManageDbException.failed("unreadable manifest " + file + ": " + e.getMessage(), e);
        }
    }

    static Manifest parse(Path manifestFile) throws IOException {
        return ManifestReader.read(manifestFile);
    }

    static Manifest parse(byte[] manifest) throws IOException {
        return ManifestReader.read(manifest);
    }

    /** The manifest of a stored backup, or null when it has none; unreadable is a failure (exit 1). */
    static Manifest read(StoredBackup backup) {
        try {
            byte[] bytes = backup.repository().readSmall(backup.manifestName());
            return bytes == null ? null : parse(bytes);
        } catch (IOException e) {
            throw ManageDbException.failed("unreadable manifest " + backup.address() + StoredBackup.MANIFEST_SUFFIX
                    + ": " + e.getMessage(), e);
        }
    }

    /** The manifest as written: indented JSON. */
    static byte[] bytes(Manifest manifest) {
        try {
            return Writer.MAPPER.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a manifest", e);
        }
    }

    /** Writes (or replaces) a backup's manifest atomically. */
    static void write(Path backup, Manifest manifest) {
        writePartial(backup, manifest);
        try {
            PrivateFiles.publish(partial(backup), of(backup));
        } catch (IOException e) {
            throw ManageDbException.failed("cannot write the manifest of " + backup.getFileName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where a backup's manifest is written before it is renamed to {@link #of}. */
    static Path partial(Path backup) {
        return backup.resolveSibling(backup.getFileName() + ".json.partial");
    }

    /** Writes the manifest in full under its {@link #partial} name, 0600, fsynced. */
    static void writePartial(Path backup, Manifest manifest) {
        try {
            PrivateFiles.writePartial(partial(backup), Writer.MAPPER.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw ManageDbException.failed("cannot write the manifest of " + backup.getFileName() + ": "
                    + e.getMessage() + "; the backup was not kept", e);
        }
    }
}
