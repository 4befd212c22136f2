package io.managedb.config;

import io.managedb.core.ManageDbException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one configuration loader every command uses. Sources, highest priority first: command-line options (applied
 * by the caller), the process environment, the .env file.
 */
public final class ConfigLoader {
    private static final Pattern ENV_URL = Pattern.compile("^([A-Z0-9_]+?)_DATABASE_URL$");

    private ConfigLoader() {
    }

    /**
     * @param processEnv  the process environment
     * @param workDir     the working directory
     * @param envFileOption the {@code --env-file} option, or null
     */
    public static Config load(Map<String, String> processEnv, Path workDir, Path envFileOption) {
        Path envFile;
        boolean explicit = true;
        if (envFileOption != null) {
            envFile = workDir.resolve(envFileOption);
        } else if (notBlank(processEnv.get(Setting.ENV_FILE.key()))) {
            envFile = workDir.resolve(processEnv.get(Setting.ENV_FILE.key()).strip());
        } else {
            envFile = workDir.resolve(".env");
            explicit = false;
        }
        envFile = envFile.toAbsolutePath().normalize();
        Map<String, String> fromFile = Map.of();
        boolean fileRead = Files.isRegularFile(envFile);
        if (fileRead) {
            fromFile = DotEnv.read(envFile);
        } else if (explicit) {
            throw ManageDbException.config("env file not found: " + envFile);
        }
        Map<String, String> settings = new HashMap<>(fromFile);
        settings.putAll(processEnv);
        Path baseDir = fileRead ? envFile.getParent() : workDir.toAbsolutePath().normalize();
        Setting.validateAll(settings, baseDir);

        Map<String, Environment> environments = new TreeMap<>();
        for (var e : settings.entrySet()) {
            Matcher m = ENV_URL.matcher(e.getKey());
            if (m.matches() && notBlank(e.getValue())) {
                String name = Config.canonicalName(m.group(1));
                String source = e.getKey() + (processEnv.containsKey(e.getKey()) ? " (environment)" : " (" + envFile.getFileName() + ")");
                Environment previous = environments.put(name, new Environment(name,
                        ConnectionUrl.parse(e.getValue(), e.getKey(), settings), source, false, false));
                if (previous != null) {
                    throw ManageDbException.config("environment '" + name + "' is defined twice: "
                            + previous.source() + " and " + source);
                }
            }
        }
        if (!environments.containsKey("dev")) {
            environments.put("dev", new Environment("dev", ConnectionUrl.localDefault(settings),
                    "zero-configuration default (the local server, as psql with no arguments)", true, false));
        }
        Map<String, Environment> ordered = new LinkedHashMap<>();
        for (String first : new String[] {"dev", "test", "prod"}) {
            if (environments.containsKey(first)) {
                ordered.put(first, environments.remove(first));
            }
        }
        ordered.putAll(environments);
        Set<String> protectedEnvs = protectedEnvironments(settings.get(Setting.PROTECTED_ENVS.key()), ordered.keySet());
        ordered.replaceAll((name, e) -> new Environment(name, e.target(), e.source(), e.zeroConfigDefault(),
                protectedEnvs.contains(name)));

        checkNotifyUrls(settings, ordered.keySet());

        String active = Config.canonicalName(
                notBlank(settings.get(Setting.ENV.key())) ? settings.get(Setting.ENV.key()) : Setting.ENV.defaultValue());
        return new Config(Map.copyOf(settings), fileRead ? envFile : null, envFile, baseDir,
                Collections.unmodifiableMap(ordered), active);
    }

    /**
     * MANAGE_DB_PROTECTED_ENVS: blank (or only commas) means the default, prod, which need not be configured;
     * {@code none} means no protected environment; otherwise every name listed (aliases allowed) must be a
     * configured environment, so that a typo cannot silently unprotect prod.
     */
    static Set<String> protectedEnvironments(String value, Set<String> configured) {
        String key = Setting.PROTECTED_ENVS.key();
        List<String> listed = value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (listed.isEmpty()) {
            return Set.of(Setting.PROTECTED_ENVS.defaultValue());
        }
        if (listed.stream().anyMatch(s -> s.equalsIgnoreCase("none"))) {
            if (listed.size() > 1) {
                throw ManageDbException.config(key + ": 'none' cannot be combined with environment names");
            }
            return Set.of();
        }
        List<String> unknown = listed.stream().filter(s -> !configured.contains(Config.canonicalName(s)))
                .map(s -> "'" + s + "'").toList();
        if (!unknown.isEmpty()) {
            throw ManageDbException.config(key + ": " + String.join(", ", unknown)
                    + (unknown.size() == 1 ? " is not a configured environment" : " are not configured environments")
                    + " (configured: " + String.join(", ", configured) + ")");
        }
        return listed.stream().map(Config::canonicalName).collect(Collectors.toSet());
    }

    private static final Pattern NOTIFY_URL = Pattern.compile("^([A-Z0-9_]+?)" + Config.NOTIFY_URL_SUFFIX + "$");

    /**
     * Every {@code <NAME>_NOTIFY_URL} is a URL and names a configured environment, so that a misspelt name is not a
     * silently missing alert. The values are never shown: they hold tokens.
     */
    private static void checkNotifyUrls(Map<String, String> settings, Set<String> configured) {
        for (var e : new TreeMap<>(settings).entrySet()) {
            Matcher m = NOTIFY_URL.matcher(e.getKey());
            if (!m.matches() || e.getKey().equals(Setting.NOTIFY_URL.key()) || !notBlank(e.getValue())) {
                continue;
            }
            String name = m.group(1).toLowerCase(java.util.Locale.ROOT);
            if (!configured.contains(name)) {
                throw ManageDbException.config(e.getKey() + ": '" + name + "' is not a configured environment"
                        + " (configured: " + String.join(", ", configured) + ")");
            }
            Setting.checkUrl(e.getKey(), e.getValue());
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
