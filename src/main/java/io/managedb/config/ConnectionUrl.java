package io.managedb.config;

import io.managedb.core.ManageDbException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code postgresql://}, {@code postgres://} and {@code jdbc:postgresql://} URLs into a {@link Target},
 * filling what the URL leaves out the way libpq does ({@code PGHOST}, {@code PGPORT}, {@code PGUSER}, the OS user,
 * {@code PGPASSWORD}, {@code ~/.pgpass}).
 *
 * <p>Passwords are often pasted without percent-encoding, so the user info is read the way browsers and most URL
 * libraries read it (libpq itself would reject these URLs): it ends at the <em>last</em> {@code @} of the URL, not
 * at the first {@code /}, {@code ?} or {@code @}. {@code postgresql://app:hunter2/x@db/app} has password
 * {@code hunter2/x}; {@code postgresql://u:s3cr3t@pa55:w0rd@host/db} has password {@code s3cr3t@pa55:w0rd}. An
 * {@code @} in the query string is not the end of the user info: an {@code @} counts as in the query when, for
 * some {@code ?} before it, the text between the two is a list of supported parameters
 * ({@code name=value&name=value}, e.g. {@code ?application_name=a@b} or {@code ?user=u&password=p@ss}); then the
 * last {@code @} before it is tried instead. The user name ends at the first {@code :} of the user info. A
 * literal {@code %} in a password, an {@code &} in a query parameter value, or an {@code @} in a database name
 * must be percent-encoded ({@code %25}, {@code %26}, {@code %40}); percent-encoding every reserved character
 * is always unambiguous and recommended.
 *
 * <p>Errors name the setting and the part of the URL at fault, never any text of the URL: any part of it may be
 * a password.
 */
public final class ConnectionUrl {
    private static final Pattern SCHEME = Pattern.compile("^(?:jdbc:)?postgres(?:ql)?://");
    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[^\\]]*]|[^\\[\\]:,]*)(?::([^:,]*))?$");
    private static final String EXPECTED = " (expected postgresql://user:password@host:port/database)";

    private ConnectionUrl() {
    }

    /**
     * @param url      the URL
     * @param key      the setting it came from, for error messages
     * @param settings the merged settings, for libpq's environment defaults
     */
    public static Target parse(String url, String key, Map<String, String> settings) {
        String s = url.strip();
        Matcher scheme = SCHEME.matcher(s);
        if (!scheme.find()) {
            throw ManageDbException.config(key + ": malformed URL" + EXPECTED);
        }
        String rest = s.substring(scheme.end());
        String user = null;
        String password = null;
        int at = userInfoEnd(rest);
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), key, "user name");
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), key, "password");
            rest = rest.substring(at + 1);
        }
        int q = rest.indexOf('?');
        String query = q < 0 ? null : rest.substring(q + 1);
        String beforeQuery = q < 0 ? rest : rest.substring(0, q);
        int slash = beforeQuery.indexOf('/');
        String hostPort = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String database = slash < 0 ? null : decode(beforeQuery.substring(slash + 1), key, "database name");
        Matcher hp = HOST_PORT.matcher(hostPort);
        if (!hp.matches()) {
            throw ManageDbException.config(key + ": malformed host or port in URL" + EXPECTED);
        }
        String hostText = hp.group(1).startsWith("[") ? hp.group(1).substring(1, hp.group(1).length() - 1) : hp.group(1);
        String host = decode(hostText, key, "host");
        String port = hp.group(2) == null ? null : decode(hp.group(2), key, "port");
        Map<String, String> params = new LinkedHashMap<>();
        boolean afterPassword = false;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw ManageDbException.config(key + ": malformed query parameter in URL (expected name=value;"
                            + " percent-encode '&' in a value as %26)");
                }
                String name = decode(pair.substring(0, eq), key, "query parameter name");
                String value = decode(pair.substring(eq + 1), key, "query parameter value");
                switch (name) {
                    case "host" -> host = value;
                    case "port" -> port = value;
                    case "dbname" -> database = value;
                    case "user" -> user = value;
                    case "password" -> password = value;
                    case "connectTimeout" -> params.put("connect_timeout", value);
                    case "ApplicationName" -> params.put("application_name", value);
                    default -> {
                        java.util.Optional<LibpqParam> param = LibpqParam.of(name);
                        if (param.isEmpty()) {
                            // After password=, an unknown "name" may be the rest of a password holding a raw '&'.
                            throw ManageDbException.config(key + ": unsupported URL parameter"
                                    + (afterPassword ? " after password= (percent-encode '&' in the password as %26)"
                                    : " '" + name + "'") + " (supported: " + String.join(", ", supported()) + ")");
                        }
                        param.get().validate(value, key);
                        params.put(name, value);
                    }
                }
                afterPassword |= name.equals("password");
            }
        }
        return resolve(host, port, database, user, password, params, key, settings);
    }

    /** The index of the {@code @} that ends the user info, or -1: see the class comment. */
    private static int userInfoEnd(String rest) {
        for (int at = rest.lastIndexOf('@'); at >= 0; at = rest.lastIndexOf('@', at - 1)) {
            if (!inQuery(rest, at)) {
                return at;
            }
        }
        return -1;
    }

    private static boolean inQuery(String rest, int at) {
        for (int q = rest.indexOf('?'); q >= 0 && q < at; q = rest.indexOf('?', q + 1)) {
            if (knownParameters(rest.substring(q + 1, at))) {
                return true;
            }
        }
        return false;
    }

    private static boolean knownParameters(String query) {
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !supported().contains(pair.substring(0, eq))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> supported() {
        List<String> names = new ArrayList<>(List.of("host", "port", "dbname", "user", "password"));
        java.util.Arrays.stream(LibpqParam.values()).map(LibpqParam::paramName).sorted().forEach(names::add);
        return names;
    }

    /** The target libpq would connect to with no URL at all: what {@code psql} with no arguments does. */
    public static Target localDefault(Map<String, String> settings) {
        Map<String, String> params = new LinkedHashMap<>();
        for (LibpqParam p : LibpqParam.values()) {
            String value = settings.get(p.environmentVariable());
            if (value != null && !value.isEmpty() && p != LibpqParam.APPLICATION_NAME) {
                p.validate(value, p.environmentVariable());
                params.put(p.paramName(), value);
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
            // Never the port text: with an unencoded password it may be part of the password.
            throw ManageDbException.config((port == null || port.isEmpty() ? "PGPORT" : key)
                    + ": invalid port (expected 1-65535)");
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
    private static String decode(String s, String key, String part) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%') {
                if (i + 2 >= bytes.length) {
                    throw ManageDbException.config(key + ": invalid percent-encoding in the URL's " + part
                            + " (a literal % is written %25)");
                }
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw ManageDbException.config(key + ": invalid percent-encoding in the URL's " + part
                            + " (a literal % is written %25)");
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
