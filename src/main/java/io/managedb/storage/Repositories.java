package io.managedb.storage;

import io.managedb.core.ManageDbException;
import io.managedb.files.Trees;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The repositories of a configuration: each environment's location ({@code <NAME>_BACKUP_DIR}, else
 * {@code MANAGE_DB_BACKUP_DIR}), opened once each. The S3 implementation (and with it the AWS SDK) is loaded only
 * when a location is an {@code s3://} URL, so that commands that never touch a bucket do not pay for it.
 */
public final class Repositories {
    private final Function<String, String> locationOf;
    private final Map<String, String> settings;
    private final Map<String, Repository> opened = new HashMap<>();
    private final Path temporaryRoot;

    /**
     * @param locationOf    an environment's location (null: the default one): a directory or an {@code s3://} URL
     * @param settings      the settings object storage is configured with (endpoint, region, credentials)
     * @param temporaryRoot where a bucket's directory archives are staged ({@code $TMPDIR})
     */
    public Repositories(Function<String, String> locationOf, Map<String, String> settings, Path temporaryRoot) {
        this.locationOf = locationOf;
        this.settings = settings;
        this.temporaryRoot = temporaryRoot;
    }

    /** One local directory for every environment. */
    public static Repositories local(Path dir) {
        String location = dir.toAbsolutePath().normalize().toString();
        return new Repositories(env -> location, Map.of(), Trees.temporaryRoot(Map.of()));
    }

    /** Where an environment's backups are kept. */
    public Repository of(String environment) {
        return at(locationOf.apply(environment));
    }

    /** The location every environment without its own uses. */
    public Repository defaultRepository() {
        return of(null);
    }

    /** The repository at a location (a directory or {@code s3://bucket/prefix}). */
    public synchronized Repository at(String location) {
        return opened.computeIfAbsent(location, l -> {
            if (!S3Location.isUrl(l)) {
                return new LocalRepository(Path.of(l));
            }
            S3Location where;
            try {
                where = S3Location.parse(l);
            } catch (IllegalArgumentException e) {
                throw ManageDbException.config(l + ": " + e.getMessage());
            }
            return S3Repository.open(where, S3Settings.of(settings), temporaryRoot);
        });
    }
}
