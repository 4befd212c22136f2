package io.managedb.db;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;
import io.managedb.config.Target;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.zip.CRC32;

/**
 * One lock per target database, held for the whole of an operation that writes to it or dumps it: a session
 * advisory lock on a separate connection to the server's maintenance database, keyed by database name, so that it
 * also covers dropping and recreating the database and dies with its holder (no lock outlives a killed process).
 */
public final class TargetLock implements AutoCloseable {
    private static final int NAMESPACE = 0x6d646221; // "mdb!"

    private final Connection connection;
    private final int key;

    private TargetLock(Connection connection, int key) {
        this.connection = connection;
        this.key = key;
    }

    /**
     * Takes the lock for {@code target}'s database, or fails at once with exit code 6 naming the holder; with a
     * positive {@code wait}, retries until it expires.
     *
     * @param command what the holder is doing, shown to whoever finds the lock taken
     */
    public static TargetLock acquire(Target target, String command, Duration wait) {
        return acquire(Admin.openMaintenance(target), target, command, wait);
    }

    /** As above, on a connection to the maintenance database that the lock then holds (or closes on failure). */
    private static TargetLock acquire(Connection c, Target target, String command, Duration wait) {
        int key = key(target.database());
        Instant deadline = Instant.now().plus(wait == null ? Duration.ZERO : wait);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SET application_name = " + Sql.quoteLiteral(holderName(command)));
            }
            while (true) {
                if (tryLock(c, key)) {
                    return new TargetLock(c, key);
                }
                if (Instant.now().isAfter(deadline)) {
                    String holder = holder(c, key);
                    c.close();
                    throw new ManageDbException(ExitCode.BUSY, "database " + target.database() + " is busy: "
                            + holder + (wait != null && !wait.isZero() ? " (waited " + wait.toSeconds() + " s)"
                            : " (use --wait SECONDS to wait for it)"));
                }
                Thread.sleep(200);
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw Connections.translate(target, e);
        } catch (InterruptedException e) {
            closeQuietly(c);
            Thread.currentThread().interrupt();
            throw new ManageDbException(ExitCode.INTERRUPTED, "interrupted while waiting for the lock");
        }
    }

    /**
     * Takes the lock for an operation that writes to the environment's database, checking the database's
     * environment stamp before (so that exit 5 comes before any wait for the lock) and again under it: exit 5 when it
     * is stamped as another environment. Every command that writes goes through here, so none can skip the stamp.
     */
    public static TargetLock forWriting(Environment env, String command, Duration wait) {
        return forWriting(env, command, wait, () -> { });
    }

    /**
     * As above; {@code stamped} runs between the first stamp check and taking the lock. Both checks and the lock use
     * one connection.
     */
    public static TargetLock forWriting(Environment env, String command, Duration wait, Runnable stamped) {
        Connection c = Admin.openMaintenance(env.target());
        try {
            EnvironmentStamp.requireMatches(c, env);
            stamped.run();
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        TargetLock lock = acquire(c, env.target(), command, wait);
        try {
            EnvironmentStamp.requireMatches(lock.connection, env);
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    static int key(String database) {
        CRC32 crc = new CRC32();
        crc.update(database.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() & 0x7fffffff);
    }

    private static boolean tryLock(Connection c, int key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, NAMESPACE);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String holder(Connection c, int key) throws SQLException {
        String sql = "SELECT a.application_name, a.backend_start, a.client_addr FROM pg_locks l"
                + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                + " AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid AND l.objsubid = 2"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, NAMESPACE);
            ps.setLong(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "locked by another manage-db (it has just finished or is not visible to this role)";
                }
                String name = rs.getString(1);
                Instant since = rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant();
                return "locked by " + (name == null || name.isEmpty() ? "another session" : name)
                        + (since == null ? "" : " since " + since.truncatedTo(ChronoUnit.SECONDS));
            }
        }
    }

    /** What other sessions see as the holder: command, host and pid (application_name keeps 63 bytes). */
    private static String holderName(String command) {
        String host = hostName();
        String name = "manage-db " + command + " (pid " + ProcessHandle.current().pid() + " on " + host + ")";
        return name.length() > 63 ? name.substring(0, 62) + ")" : name;
    }

    /** This machine's name: the kernel's (no resolver lookup on the way to the lock), else the JDK's. */
    private static String hostName() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, NAMESPACE);
            ps.setInt(2, key);
            ps.execute();
        } catch (SQLException ignored) {
            // closing the session below releases the lock anyway
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }
}
