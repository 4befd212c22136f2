package io.managedb.db;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Target;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Single JDBC connections for one-shot work (the lock, admin statements, checks). */
public final class Connections {
    private Connections() {
    }

    /** Opens a connection; unreachable servers and failed logins are {@link ExitCode#UNREACHABLE}. */
    public static Connection open(Target target) {
        try {
            return connect(target);
        } catch (SQLException e) {
            throw translate(target, e);
        }
    }

    static Connection connect(Target target) throws SQLException {
        Properties props = target.jdbcProperties();
        props.putIfAbsent("connectTimeout", "10");
        return DriverManager.getConnection(target.jdbcUrl(), props);
    }

    /** Turns a SQLException into a one-line ManageDbException with the right exit code. */
    public static ManageDbException translate(Target target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean connection = state.startsWith("08") || state.startsWith("28") || state.equals("3D000")
                || state.equals("57P03") || state.equals("53300");
        String message = firstLine(e.getMessage());
        if (connection) {
            return new ManageDbException(ExitCode.UNREACHABLE, (target.environment() == null ? ""
                    : "environment " + target.environment() + ": ") + "cannot connect to database " + target.database()
                    + " (" + target.masked() + "): " + cause(target, e, state, message), e);
        }
        return new ManageDbException(ExitCode.FAILED, "database error on " + target.masked() + ": " + message, e);
    }

    /** Why a connection failed, in words an operator acts on; never the password. */
    private static String cause(Target target, SQLException e, String state, String message) {
        String where = target.unixSocket() ? "socket " + target.host() + "/.s.PGSQL." + target.port()
                : target.host() + ":" + target.port();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "could not resolve host " + target.host();
            }
            if (t instanceof java.net.ConnectException) {
                return "connection refused by " + where + " (is the server running there?)";
            }
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.net.NoRouteToHostException) {
                return "no answer from " + where + " (timeout)";
            }
        }
        return switch (state) {
            case "28P01" -> "password authentication failed for user " + target.user();
            case "3D000" -> "database " + target.database() + " does not exist";
            case "28000" -> message.contains("does not exist") ? "role " + target.user() + " does not exist"
                    : message.replaceFirst("^FATAL: ", "");
            case "53300" -> "too many connections to " + where;
            case "57P03" -> "the server at " + where + " is starting up or shutting down";
            default -> message.contains("timeout") || message.contains("timed out") ? "no answer from " + where
                    + " (timeout)" : message.replaceFirst("^FATAL: ", "");
        };
    }

    /** A message's first line, stripped; "unknown error" for none. */
    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
