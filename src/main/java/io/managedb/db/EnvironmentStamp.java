package io.managedb.db;

import io.managedb.ManageDbException;
import io.managedb.config.Environment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The environment a database belongs to, kept as a database-level setting ({@code manage_db.environment}). pg_dump
 * without {@code --create} does not carry it, so it stays with the database across restores and copies of its
 * contents. Destructive operations refuse a database stamped as another environment.
 */
public final class EnvironmentStamp {
    public static final String SETTING = "manage_db.environment";

    private EnvironmentStamp() {
    }

    /** The stamp of a database, read over any connection to its server. */
    public static Optional<String> read(Connection connection, String database) throws SQLException {
        String sql = "SELECT cfg FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase,"
                + " unnest(s.setconfig) cfg WHERE s.setrole = 0 AND d.datname = ? AND cfg LIKE ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, database);
            ps.setString(2, SETTING + "=%");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1).substring(SETTING.length() + 1)) : Optional.empty();
            }
        }
    }

    /** Stamps a database (needs its ownership or superuser). */
    public static void write(Connection connection, String database, String environment) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("ALTER DATABASE " + Sql.quoteIdent(database) + " SET " + SETTING + " = "
                    + Sql.quoteLiteral(environment));
        }
    }

    /** Refuses (exit 5) when the environment's database is stamped as another environment. */
    public static void requireMatches(Connection connection, Environment env) {
        try {
            Optional<String> stamp = read(connection, env.target().database());
            if (stamp.isPresent() && !stamp.get().equals(env.name())) {
                throw ManageDbException.refused("database " + env.target().database() + " is stamped as environment '"
                        + stamp.get() + "' but was selected as '" + env.name() + "'; refusing (check the "
                        + env.name().toUpperCase(java.util.Locale.ROOT) + "_DATABASE_URL)");
            }
        } catch (SQLException e) {
            throw Connections.translate(env.target(), e);
        }
    }
}
