package io.managedb.config;

import io.managedb.core.ManageDbException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The libpq connection parameters a URL may carry beyond host, port, dbname, user and password: the pgjdbc property
 * and the environment variable for the pg tools each maps to, and the values it accepts. A bad value is a
 * configuration error naming the setting and the parameter when the URL is parsed.
 */
public enum LibpqParam {
    SSLMODE("sslmode", "PGSSLMODE",
            List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")),
    SSLROOTCERT("sslrootcert", "PGSSLROOTCERT", List.of()),
    SSLCERT("sslcert", "PGSSLCERT", List.of()),
    SSLKEY("sslkey", "PGSSLKEY", List.of()),
    CONNECT_TIMEOUT("connectTimeout", "PGCONNECT_TIMEOUT", List.of()),
    APPLICATION_NAME("ApplicationName", "PGAPPNAME", List.of()),
    OPTIONS("options", "PGOPTIONS", List.of()),
    TARGET_SESSION_ATTRS("targetServerType", "PGTARGETSESSIONATTRS",
            List.of("any", "read-write", "read-only", "primary", "standby", "prefer-standby"));

    private final String jdbcProperty;
    private final String environmentVariable;
    private final List<String> allowed;

    LibpqParam(String jdbcProperty, String environmentVariable, List<String> allowed) {
        this.jdbcProperty = jdbcProperty;
        this.environmentVariable = environmentVariable;
        this.allowed = allowed;
    }

    /** The parameter's name in a URL: the constant's name in lower case. */
    public String paramName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String jdbcProperty() {
        return jdbcProperty;
    }

    public String environmentVariable() {
        return environmentVariable;
    }

    public static Optional<LibpqParam> of(String name) {
        for (LibpqParam p : values()) {
            if (p.paramName().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Checks a value (exit 3); {@code key} is the setting the URL came from. */
    public void validate(String value, String key) {
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            throw ManageDbException.config(key + ": URL parameter " + paramName() + "='" + value + "' is not one of "
                    + String.join(", ", allowed));
        }
        if (this == CONNECT_TIMEOUT && !value.matches("\\d{1,6}")) {
            throw ManageDbException.config(key + ": URL parameter connect_timeout must be a number of seconds");
        }
    }
}
