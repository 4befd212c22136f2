package io.managedb.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Whether two connections reach the same database, whatever their URLs say ({@code localhost}, {@code 127.1}, the
 * host's name, a Unix socket, a DNS alias all reach one server): the same server is the same system identifier
 * ({@code pg_control_system()}, which the server's physical standbys share, so a standby counts as its primary), the
 * same database is the same database OID on it. {@code pg_control_system()} may be revoked from a role; then the
 * server itself is asked: the source session marks itself with a random application_name, and the target's server
 * is asked whether one of its own sessions, in that database, carries it ({@code pg_stat_activity} shows every
 * session's application_name and database to every role).
 */
public final class DatabaseIdentity {

    private DatabaseIdentity() {
    }

    /**
     * @param source         a connection to the source database (its application_name is restored afterwards)
     * @param targetServer   a connection to any database of the target's server
     * @param targetDatabase the target database's name on that server
     */
    public static boolean same(Connection source, Connection targetServer, String targetDatabase)
            throws SQLException {
        String sourceSystem;
        long sourceOid;
        int sourcePid;
        try (PreparedStatement ps = source.prepareStatement("SELECT d.oid::int8, pg_backend_pid()"
                + " FROM pg_database d WHERE d.datname = current_database()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            sourceOid = rs.getLong(1);
            sourcePid = rs.getInt(2);
        }
        sourceSystem = systemIdentifier(source);
        String oid = Sql.firstText(targetServer, "SELECT d.oid FROM pg_database d WHERE d.datname = ?",
                targetDatabase);
        if (oid == null) {
            return false; // the source exists, the target does not
        }
        long targetOid = Long.parseLong(oid);
        String targetSystem = systemIdentifier(targetServer);
        if (sourceSystem != null && targetSystem != null) {
            return sourceSystem.equals(targetSystem) && sourceOid == targetOid;
        }
        return marked(source, sourcePid, targetServer, targetOid);
    }

    /** The server's system identifier; null when this role may not call pg_control_system(). */
    private static String systemIdentifier(Connection c) throws SQLException {
        // a separate query: the function's privilege is checked when a statement calling it starts, even in a CASE
        if (!Boolean.parseBoolean(Catalog.single(c,
                "SELECT has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')::text"))) {
            return null;
        }
        return Catalog.single(c, "SELECT system_identifier::text FROM pg_catalog.pg_control_system()");
    }

    /** Whether the target's server sees the source's session, marked for the occasion, in the target database. */
    private static boolean marked(Connection source, int sourcePid, Connection targetServer, long targetOid)
            throws SQLException {
        String before = Catalog.single(source, "SHOW application_name");
        String mark = "manage-db identity " + UUID.randomUUID();
        setApplicationName(source, mark);
        try (PreparedStatement ps = targetServer.prepareStatement("SELECT EXISTS (SELECT FROM"
                + " pg_catalog.pg_stat_activity WHERE application_name = ? AND pid = ? AND datid = ?::oid)")) {
            ps.setString(1, mark);
            ps.setInt(2, sourcePid);
            ps.setLong(3, targetOid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } finally {
            setApplicationName(source, before);
        }
    }

    private static void setApplicationName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        }
    }
}
