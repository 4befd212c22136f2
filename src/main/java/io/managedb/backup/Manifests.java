package io.managedb.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.managedb.ManageDbException;

import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes backup manifests ({@code <backup>.json}), atomically and 0600. */
public final class Manifests {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

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
            return MAPPER.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw ManageDbException.failed("unreadable manifest " + file + ": " + e.getMessage(), e);
        }
    }

    static Manifest parse(Path manifestFile) throws IOException {
        return MAPPER.readValue(manifestFile.toFile(), Manifest.class);
    }

    static void write(Path backup, Manifest manifest) {
        try {
            PrivateFiles.writeAtomically(of(backup), MAPPER.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw ManageDbException.failed("cannot write the manifest of " + backup + ": " + e.getMessage(), e);
        }
    }
}
