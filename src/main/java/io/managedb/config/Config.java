package io.managedb.config;

import io.managedb.core.ManageDbException;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The resolved, validated configuration: immutable once loaded.
 *
 * @param settings     merged settings (.env overlaid by the process environment)
 * @param envFile      the .env file that was read, or null
 * @param envFileTarget the .env file {@code env use} writes to
 * @param baseDir      where relative paths resolve (the .env file's directory, else the working directory)
 * @param environments by canonical name, in a stable order
 * @param activeName   the environment used when --env is not given
 */
public record Config(Map<String, String> settings, Path envFile, Path envFileTarget, Path baseDir,
                     Map<String, Environment> environments, String activeName) {

    private static final Map<String, String> ALIASES =
            Map.of("development", "dev", "testing", "test", "production", "prod");

    public static String canonicalName(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(lower, lower);
    }

    /** The environment of this name or alias; null means the active one. Unknown names list the configured ones. */
    public Environment environment(String nameOrAlias) {
        String name = canonicalName(nameOrAlias == null ? activeName : nameOrAlias);
        Environment env = environments.get(name);
        if (env == null) {
            throw ManageDbException.config("unknown environment '" + name + "'; configured: "
                    + String.join(", ", environments.keySet())
                    + " (define it with " + name.toUpperCase(Locale.ROOT) + "_DATABASE_URL)");
        }
        return env;
    }

    public String get(Setting setting) {
        String value = settings.get(setting.key());
        return value == null || value.isBlank() ? setting.defaultValue() : value.strip();
    }

    /**
     * A directory setting resolved against {@link #baseDir()}. The backup directory's default belongs next to a .env
     * file; with none (a run from {@code /} under cron) it is the user's data directory instead:
     * {@code $XDG_DATA_HOME/manage-db/backups}, else {@code ~/.local/share/manage-db/backups}.
     */
    public Path path(Setting setting) {
        String value = settings.get(setting.key());
        if (setting == Setting.BACKUP_DIR && envFile == null && (value == null || value.isBlank())) {
            return userDataDir().resolve("manage-db").resolve("backups").normalize();
        }
        return baseDir.resolve(get(setting)).normalize();
    }

    /** The suffix of per-environment backup locations: {@code PROD_BACKUP_DIR}. */
    public static final String BACKUP_DIR_SUFFIX = "_BACKUP_DIR";

    /**
     * Where an environment's backups are kept: {@code <NAME>_BACKUP_DIR}, else {@code MANAGE_DB_BACKUP_DIR} (see
     * {@link #path}); an {@code s3://bucket/prefix} URL as given, a directory as an absolute path. Null names the
     * default location. Exit 3 naming the key when the value is neither.
     */
    public String backupLocation(String environment) {
        if (environment != null) {
            String key = environment.toUpperCase(Locale.ROOT) + BACKUP_DIR_SUFFIX;
            String own = settings.get(key);
            if (own != null && !own.isBlank()) {
                Setting.checkLocation(key, own);
                return own.regionMatches(true, 0, "s3://", 0, 5) ? own.strip()
                        : baseDir.resolve(own.strip()).normalize().toString();
            }
        }
        String all = settings.get(Setting.BACKUP_DIR.key());
        return all != null && all.strip().regionMatches(true, 0, "s3://", 0, 5) ? all.strip()
                : path(Setting.BACKUP_DIR).toString();
    }

    /** The XDG base directory for user data, from the settings (the process environment), not from this JVM's. */
    private Path userDataDir() {
        String xdg = settings.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg.strip()).isAbsolute()) {
            return Path.of(xdg.strip());
        }
        String home = settings.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home).resolve(".local").resolve("share");
    }

    /** Every password and notify URL this configuration knows, so that output can be scrubbed of them. */
    public Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>();
        environments.values().forEach(e -> {
            if (e.target().password() != null && !e.target().password().isEmpty()) {
                secrets.add(e.target().password());
            }
            notifyUrl(e.name()).ifPresent(url -> secrets.addAll(urlSecrets(url)));
        });
        for (String key : new String[] {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
            String v = settings.get(key);
            if (v != null && v.strip().length() >= 4) {
                secrets.add(v.strip());
            }
        }
        String masking = get(Setting.MASKING_SECRET);
        if (!masking.isEmpty()) {
            secrets.add(masking);
        }
        return secrets;
    }

    /**
     * Where an environment's pings go: {@code <NAME>_NOTIFY_URL}, else {@code MANAGE_DB_NOTIFY_URL}, else none.
     * A secret: the URL usually holds the check's token.
     */
    public java.util.Optional<String> notifyUrl(String environment) {
        String own = settings.get(environment.toUpperCase(Locale.ROOT) + NOTIFY_URL_SUFFIX);
        if (own != null && !own.isBlank()) {
            return java.util.Optional.of(own.strip());
        }
        String all = get(Setting.NOTIFY_URL);
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all);
    }

    /** The suffix of per-environment notify URLs: {@code PROD_NOTIFY_URL}. */
    public static final String NOTIFY_URL_SUFFIX = "_NOTIFY_URL";

    /** A URL and the parts of it that may be a token (path, query), to scrub wherever they appear. */
    private static Set<String> urlSecrets(String url) {
        Set<String> parts = new LinkedHashSet<>();
        parts.add(url);
        try {
            java.net.URI uri = new java.net.URI(url);
            for (String part : new String[] {uri.getRawPath(), uri.getRawQuery(), uri.getRawUserInfo()}) {
                if (part != null && part.replace("/", "").length() >= 6) {
                    parts.add(part);
                }
            }
        } catch (java.net.URISyntaxException e) {
            // validated at load; nothing more to add
        }
        return parts;
    }
}
