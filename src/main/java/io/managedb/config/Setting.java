package io.managedb.config;

import io.managedb.core.ManageDbException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every manage-db setting: key, default, type, allowed values, description and whether it is a secret (modelled on
 * pgjdbc's {@code PGProperty}). {@link #validateAll} checks every one in a single pass when the configuration is
 * loaded, before any connection opens; errors name the key, never a secret's value. The README's settings table
 * and {@code .env.example} are tested against these constants.
 */
public enum Setting {
    ENV("dev", Type.NAME, "environment used when --env is not given"),
    ENV_FILE(".env", Type.PATH, "the .env file to read when --env-file is not given"),
    PROTECTED_ENVS("prod", Type.LIST, """
            comma-separated environments whose destructive operations need the typed name or --confirm; each must \
            be configured; blank means the default, none protects none"""),
    BACKUP_DIR("backups", Type.LOCATION, """
            where backups and their manifests are written: a directory, or s3://bucket/prefix for object storage; \
            <NAME>_BACKUP_DIR overrides it for one environment (default: backups next to the .env file; with no \
            .env file, $XDG_DATA_HOME/manage-db/backups or ~/.local/share/manage-db/backups)"""),
    S3_ENDPOINT("", Type.URL,
            "endpoint of an S3-compatible service (MinIO, Ceph, s3proxy, ...), addressed path-style; blank: AWS S3"),
    S3_REGION("", Type.TEXT, """
            region of the bucket; blank: AWS_REGION, else us-east-1. Credentials come from AWS_ACCESS_KEY_ID and \
            AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else AWS_PROFILE in ~/.aws/credentials"""),
    MIGRATIONS_DIR("db/migration", Type.PATH, "SQL migrations (V/U/R scripts)"),
    PLACEHOLDERS("off", Type.CHOICE, List.of("on", "off"), false, """
            on: replace ${name} placeholders in migrations as Flyway does, with values from \
            MANAGE_DB_PLACEHOLDER_<NAME> and Flyway's ${flyway:...} built-ins; blank follows \
            flyway.conf/flyway.toml when there is one (Flyway's default: on)"""),
    TRIGGERS_DIR("db/triggers", Type.PATH, "project trigger files, applied in name order"),
    SEED_DIR("db/seed", Type.PATH, "seed SQL files run by init --seed"),
    TRIGGERS("updated_at", Type.LIST, List.of("updated_at", "audit"), false,
            "enabled built-in trigger sets: updated_at, audit"),
    UPDATED_AT_COLUMNS("updated_at", Type.LIST,
            "timestamp columns the updated_at triggers keep current (first match per table)"),
    AUDIT_TABLES("", Type.LIST, "tables the audit triggers record, as patterns: public.*,billing.invoice"),
    AUDIT_EXCLUDE_COLUMNS("", Type.LIST,
            "columns left out of the audit log: password_hash (any table) or public.users.token"),
    PG_BIN("", Type.PG_BIN, """
            directories of pg_dump/pg_restore/psql, ':'-separated when several client versions are installed \
            (default: every /usr/lib/postgresql/*/bin and PATH); each server gets the oldest client that is at \
            least its version"""),
    MAX_BACKUP_AGE("", Type.DURATION,
            "the newest good backup may be at most this old for doctor (26h, 90m, 2d); blank: not checked"),
    NOTIFY_URL("", Type.URL, List.of(), true, """
            ping URL (healthchecks.io style) for backup, prune and verify: URL/start, URL, URL/fail; \
            <NAME>_NOTIFY_URL overrides it for one environment; may hold a token, so always masked"""),
    NOTIFY_TIMEOUT("5s", Type.DURATION, "how long one ping may take (connect and response) before it is given up"),
    METRICS_FILE("", Type.PATH,
            "Prometheus node_exporter textfile (.prom) rewritten after each backup, prune and verify; blank: none"),
    BACKUP_RECIPIENTS("", Type.AGE_RECIPIENTS, """
            age X25519 public keys (age1..., comma-separated) or a file of them, one per line: every backup is \
            encrypted to them while it streams (name + .age); blank: backups are not encrypted"""),
    BACKUP_IDENTITY("", Type.PATH, """
            age identity file (AGE-SECRET-KEY-1..., as age-keygen writes it) that restore, verify and doctor \
            decrypt encrypted backups with; read only when needed, never shown"""),
    MASKING_FILE("db/masking.yml", Type.PATH, "masking rules for copy --masked: schema.table to column to transformer"),
    MASKING_SECRET("", Type.TEXT, List.of(), true, """
            secret that seeds the masked values (HMAC-SHA256 with the column and value); needed by copy --masked \
            with hash, fake, date_shift or noise rules; never printed"""),
    PERSONAL_COLUMNS(PersonalDefaults.PATTERNS, Type.LIST, """
            column name patterns that mark personal data: a copy from a protected environment into an unprotected \
            one refuses unless they are masked (copy --masked) or --unmasked is confirmed""");

    /** The default personal column patterns (a constant of its own: enum constants cannot refer to statics). */
    private static final class PersonalDefaults {
        static final String PATTERNS = "email,phone,mobile,first_name,last_name,surname,full_name,address,street,"
                + "postal_code,zip,birth,ssn,social_security,iban,passport,tax_id";
    }

    /** How a setting's value is read. */
    public enum Type {
        /** an environment name */
        NAME,
        /** a file or directory; relative paths resolve against the .env file's directory */
        PATH,
        /** a directory (as PATH) or an {@code s3://bucket/prefix} URL */
        LOCATION,
        /** one of the allowed values */
        CHOICE,
        /** comma-separated; with allowed values, each must be one of them */
        LIST,
        /** a directory holding pg_dump, pg_restore and psql */
        PG_BIN,
        /** a positive duration: 90s, 90m, 26h, 2d, 1w */
        DURATION,
        /** an absolute http:// or https:// URL with a host */
        URL,
        /** age X25519 recipients (age1...), or a file of them */
        AGE_RECIPIENTS,
        /** any text */
        TEXT
    }

    private final String key = "MANAGE_DB_" + name();
    private final String defaultValue;
    private final Type type;
    private final List<String> allowed;
    private final boolean secret;
    private final String description;

    Setting(String defaultValue, Type type, String description) {
        this(defaultValue, type, List.of(), false, description);
    }

    Setting(String defaultValue, Type type, List<String> allowed, boolean secret, String description) {
        this.defaultValue = defaultValue;
        this.type = type;
        this.allowed = allowed;
        this.secret = secret;
        this.description = description;
    }

    public String key() { return key; }

    public String defaultValue() { return defaultValue; }

    public Type type() { return type; }

    /** The values it accepts (each item's, for a list); empty when any value goes. */
    public List<String> allowed() { return allowed; }

    /** A secret's value never appears in a message, the output or a log. */
    public boolean secret() { return secret; }

    public String description() { return description; }

    /**
     * Checks every setting's value (blank means the default); exit 3 naming the first bad key.
     *
     * @param baseDir where relative paths resolve
     */
    public static void validateAll(Map<String, String> settings, Path baseDir) {
        for (Setting s : values()) {
            String value = settings.get(s.key);
            if (value != null && !value.isBlank()) {
                s.validate(value.strip(), baseDir);
            }
        }
    }

    /** An http(s) URL with a host; the message never shows the value (it may hold a token). */
    public static void checkUrl(String key, String value) {
        try {
            java.net.URI uri = new java.net.URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below, without the value
        }
        throw ManageDbException.config(key + ": expected an http:// or https:// URL with a host");
    }

    private void validate(String value, Path baseDir) {
        String shown = secret ? "" : " '" + value + "'";
        switch (type) {
            case CHOICE -> {
                if (!allowed.contains(value.toLowerCase(Locale.ROOT))) {
                    throw ManageDbException.config(key + ":" + shown + " is not one of " + String.join(", ", allowed));
                }
            }
            case LIST -> {
                if (!allowed.isEmpty()) {
                    for (String item : Arrays.stream(value.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                            .toList()) {
                        if (!allowed.contains(item)) {
                            throw ManageDbException.config(key + ": unknown value" + (secret ? "" : " '" + item + "'")
                                    + " (allowed: " + String.join(", ", allowed) + ")");
                        }
                    }
                }
            }
            case NAME -> {
                if (!value.matches("[A-Za-z0-9_]+")) {
                    throw ManageDbException.config(key + ":" + shown + " is not an environment name (letters,"
                            + " digits, _)");
                }
            }
            case PG_BIN -> {
                for (String each : value.split(":")) {
                    if (each.isBlank()) {
                        continue;
                    }
                    Path dir = baseDir.resolve(each.strip()).normalize();
                    for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
                        if (!Files.isExecutable(dir.resolve(tool))) {
                            throw ManageDbException.config(key + ": " + dir + " has no executable " + tool);
                        }
                    }
                }
            }
            case DURATION -> Durations.parse(key, value);
            case URL -> checkUrl(key, value);
            case AGE_RECIPIENTS -> checkRecipients(key, value, baseDir);
            case LOCATION -> checkLocation(key, value);
            case TEXT, PATH -> {
                // any path; whether it must exist depends on the command. A URL is not a path: without this, an
                // object-storage location would become a local directory named "s3:"
                if (type == Type.PATH && value.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
                    throw ManageDbException.config(key + ": " + value.replaceFirst("://.*", "://...")
                            + " is not a path; give a directory");
                }
            }
        }
    }

    private static final java.util.regex.Pattern S3_URL =
            java.util.regex.Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?");

    /**
     * A backup location: a directory, or {@code s3://bucket[/prefix]} with a valid bucket name; any other URL is
     * refused (it would become a directory named after its scheme). Also used for {@code <NAME>_BACKUP_DIR}.
     */
    public static void checkLocation(String key, String value) {
        String v = value.strip();
        if (v.regionMatches(true, 0, "s3://", 0, 5)) {
            if (!S3_URL.matcher(v).matches()) {
                throw ManageDbException.config(key + ": '" + v + "' is not s3://bucket/prefix (a bucket name is 3-63"
                        + " lower-case letters, digits, '.' and '-')");
            }
        } else if (v.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
            throw ManageDbException.config(key + ": " + v.replaceFirst("://.*", "://...")
                    + " locations are not supported; give a directory or s3://bucket/prefix");
        }
    }

    /**
     * age X25519 recipients, comma-separated, or a file of them (one per line, # comments): each must look like
     * {@code age1} and 58 more bech32 characters. The backup package parses them in full when it encrypts.
     */
    private static void checkRecipients(String key, String value, Path baseDir) {
        List<String> keys;
        if (value.startsWith("age1")) {
            keys = Arrays.stream(value.split(",")).map(String::strip).filter(k -> !k.isEmpty()).toList();
        } else {
            Path file = baseDir.resolve(value).normalize();
            try {
                keys = Files.readAllLines(file).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            } catch (java.io.IOException e) {
                throw ManageDbException.config(key + ": cannot read the recipients file " + file);
            }
        }
        if (keys.isEmpty()) {
            throw ManageDbException.config(key + ": no age recipient given");
        }
        for (String k : keys) {
            if (!k.matches("age1[02-9ac-hj-np-z]{58}")) {
                throw ManageDbException.config(key + ": '" + k + "' is not an age X25519 recipient (age1...)");
            }
        }
    }
}
