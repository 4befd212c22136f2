package io.managedb.db;

import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment a database belongs to. It is kept as a database-level setting ({@code manage_db.environment})
 * when the role may set it (a superuser, or one granted {@code SET} on the parameter; on PostgreSQL 15+ a database's
 * owner may not set a custom parameter otherwise), else as the last line of the database's comment
 * ({@code manage_db.environment=NAME}), which its owner may always change. Neither is carried by pg_dump without
 * {@code --create}, so the stamp stays with the database across restores and copies of its contents. Operations
 * that write refuse a database stamped as another environment ({@link TargetLock#forWriting}).
 */
public final class EnvironmentStamp {
    public static final String SETTING = "manage_db.environment";
    private static final Pattern COMMENT_LINE = Pattern.compile("(?:^|\\n)" + Pattern.quote(SETTING) + "=(\\S+)$");

    private EnvironmentStamp() {
    }

    /** The stamp of a database, read over any connection to its server. */
    public static Optional<String> read(Connection connection, String database) throws SQLException {
        String sql = "SELECT (SELECT cfg FROM pg_db_role_setting s, unnest(s.setconfig) cfg WHERE s.setrole = 0"
                + " AND s.setdatabase = d.oid AND cfg LIKE ? LIMIT 1), shobj_description(d.oid, 'pg_database')"
                + " FROM pg_database d WHERE d.datname = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, SETTING + "=%");
            ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (rs.getString(1) != null) {
                    return Optional.of(rs.getString(1).substring(SETTING.length() + 1));
                }
                return fromComment(rs.getString(2));
            }
        }
    }

    /** Stamps a database (needs its ownership or superuser). */
    public static void write(Connection connection, String database, String environment) throws SQLException {
        String comment = Sql.firstText(connection,
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?", database);
        try (var st = connection.createStatement()) {
            st.execute(statement(connection, database, environment, comment));
        }
    }

    /**
     * The statement that stamps {@code database}, in the form this session's role may use.
     *
     * @param comment the comment the database has (or is given) apart from the stamp, kept when the stamp goes
     *                into the comment
     */
    public static String statement(Connection connection, String database, String environment, String comment)
            throws SQLException {
        if (maySetParameter(connection)) {
            return "ALTER DATABASE " + Sql.quoteIdent(database) + " SET " + SETTING + " = "
                    + Sql.quoteLiteral(environment);
        }
        return "COMMENT ON DATABASE " + Sql.quoteIdent(database) + " IS "
                + Sql.quoteLiteral(withStamp(comment, environment));
    }

    /** A database comment with the stamp line replaced or appended. */
    static String withStamp(String comment, String environment) {
        String rest = comment == null ? "" : COMMENT_LINE.matcher(comment).replaceFirst("");
        return (rest.isEmpty() ? "" : rest + "\n") + SETTING + "=" + environment;
    }

    static Optional<String> fromComment(String comment) {
        if (comment == null) {
            return Optional.empty();
        }
        Matcher m = COMMENT_LINE.matcher(comment);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static boolean maySetParameter(Connection connection) throws SQLException {
        if ("on".equals(Catalog.single(connection, "SHOW is_superuser"))) {
            return true;
        }
        // before PostgreSQL 15 anyone may set a custom parameter; from 15 on it takes a grant
        return Catalog.serverVersionNum(connection) < 150000
                || "t".equals(Catalog.single(connection, "SELECT has_parameter_privilege('" + SETTING + "', 'SET')"));
    }

    /** Refuses (exit 5) when the environment's database is stamped as another environment. */
    public static void requireMatches(Connection connection, Environment env) {
        try {
            Optional<String> stamp = read(connection, env.target().database());
            if (stamp.isPresent() && !stamp.get().equals(env.name())) {
                throw ManageDbException.refused("database " + env.target().database() + " is stamped as environment '"
                        + stamp.get() + "' but was selected as '" + env.name() + "'; refusing (check the "
                        + env.name().toUpperCase(Locale.ROOT) + "_DATABASE_URL)");
            }
        } catch (SQLException e) {
            throw Connections.translate(env.target(), e);
        }
    }
}
