package io.managedb.config;

import io.managedb.ManageDbException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code postgresql://}, {@code postgres://} and {@code jdbc:postgresql://} URLs into a {@link Target},
 * filling what the URL leaves out the way libpq does ({@code PGHOST}, {@code PGPORT}, {@code PGUSER}, the OS user,
 * {@code PGPASSWORD}, {@code ~/.pgpass}). Errors name the setting, never the URL (it may hold a password).
 */
public final class ConnectionUrl {
    private static final Pattern URL = Pattern.compile(
            "^(?:jdbc:)?postgres(?:ql)?://(?:([^@/?]*)@)?((?:\\[[^\\]]*]|[^/?:,]*)(?::([^/?]*))?)(?:/([^?]*))?(?:\\?(.*))?$");

    private ConnectionUrl() {
    }

    /**
     * @param url      the URL
     * @param key      the setting it came from, for error messages
     * @param settings the merged settings, for libpq's environment defaults
     */
    public static Target parse(String url, String key, Map<String, String> settings) {
        Matcher m = URL.matcher(url.strip());
        if (!m.matches()) {
            throw ManageDbException.config(key + ": malformed URL"
                    + " (expected postgresql://user:password@host:port/database)");
        }
        String user = null;
        String password = null;
        if (m.group(1) != null) {
            String userInfo = m.group(1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), key);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), key);
        }
        String hostPart = m.group(2).replaceFirst(":[^\\]]*$", "");
        String host = decode(hostPart.startsWith("[") ? hostPart.substring(1, hostPart.length() - 1) : hostPart, key);
        String port = m.group(3) == null ? null : decode(m.group(3), key);
        String database = m.group(4) == null ? null : decode(m.group(4), key);
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(5) != null && !m.group(5).isEmpty()) {
            for (String pair : m.group(5).split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw ManageDbException.config(key + ": malformed query parameter in URL");
                }
                String name = decode(pair.substring(0, eq), key);
                String value = decode(pair.substring(eq + 1), key);
                switch (name) {
                    case "host" -> host = value;
                    case "port" -> port = value;
                    case "dbname" -> database = value;
                    case "user" -> user = value;
                    case "password" -> password = value;
                    case "connectTimeout" -> params.put("connect_timeout", value);
                    case "ApplicationName" -> params.put("application_name", value);
                    default -> {
                        if (!Target.PARAMS.containsKey(name)) {
                            throw ManageDbException.config(key + ": unsupported URL parameter '" + name
                                    + "' (supported: host, port, dbname, user, password, "
                                    + String.join(", ", Target.PARAMS.keySet().stream().sorted().toList()) + ")");
                        }
                        params.put(name, value);
                    }
                }
            }
        }
        return resolve(host, port, database, user, password, params, key, settings);
    }

    /** The target libpq would connect to with no URL at all: what {@code psql} with no arguments does. */
    public static Target localDefault(Map<String, String> settings) {
        Map<String, String> params = new LinkedHashMap<>();
        for (var e : Target.PARAMS.entrySet()) {
            String value = settings.get(e.getValue()[1]);
            if (value != null && !value.isEmpty() && !e.getKey().equals("application_name")) {
                params.put(e.getKey(), value);
            }
        }
        return resolve(null, null, null, null, null, params, "default environment", settings);
    }

    private static Target resolve(String host, String port, String database, String user, String password,
                                  Map<String, String> params, String key, Map<String, String> settings) {
        String h = blankTo(host, blankTo(settings.get("PGHOST"), "localhost"));
        String p = blankTo(port, blankTo(settings.get("PGPORT"), "5432"));
        int portNumber;
        try {
            portNumber = Integer.parseInt(p);
            if (portNumber < 1 || portNumber > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw ManageDbException.config(key + ": invalid port '" + p + "'");
        }
        String u = blankTo(user, blankTo(settings.get("PGUSER"), System.getProperty("user.name")));
        String d = blankTo(database, blankTo(settings.get("PGDATABASE"), u));
        String pw = password != null ? password : settings.get("PGPASSWORD");
        if (pw == null) {
            String home = blankTo(settings.get("HOME"), System.getProperty("user.home"));
            String passFile = blankTo(settings.get("PGPASSFILE"), Path.of(home, ".pgpass").toString());
            pw = PgPass.lookup(Path.of(passFile), h, portNumber, d, u);
        }
        return new Target(h, portNumber, d, u, pw, params);
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** Percent-decoding as libpq does it: {@code +} stays a plus. */
    private static String decode(String s, String key) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%') {
                if (i + 2 >= bytes.length) {
                    throw ManageDbException.config(key + ": invalid percent-encoding in URL");
                }
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw ManageDbException.config(key + ": invalid percent-encoding in URL");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
