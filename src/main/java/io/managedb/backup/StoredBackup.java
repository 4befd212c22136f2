package io.managedb.backup;

import io.managedb.storage.LocalRepository;
import io.managedb.storage.Repository;

import java.nio.file.Path;

/** A backup by its name in a repository (a directory or a bucket prefix); its manifest is {@code name + ".json"}. */
public record StoredBackup(Repository repository, String name) {
    /** What a backup's manifest is named after it. */
    public static final String MANIFEST_SUFFIX = ".json";

    /** A backup file or directory on the local disk. */
    public static StoredBackup of(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return new StoredBackup(new LocalRepository(abs.getParent()), abs.getFileName().toString());
    }

    /** Its path or URL, for messages and output. */
    public String address() {
        return repository.address(name);
    }

    /** The manifest's name in the repository. */
    public String manifestName() {
        return name + MANIFEST_SUFFIX;
    }

    /** The backup as a local path, or null when it is in object storage. */
    public Path localPath() {
        return repository.localPath(name);
    }

    @Override
    public String toString() {
        return address();
    }
}
