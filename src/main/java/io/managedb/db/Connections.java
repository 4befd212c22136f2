package io.managedb.db;

import io.managedb.ExitCode;
import io.managedb.ManageDbException;
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
        Properties props = target.jdbcProperties();
        props.putIfAbsent("connectTimeout", "10");
        try {
            return DriverManager.getConnection(target.jdbcUrl(), props);
        } catch (SQLException e) {
            throw translate(target, e);
        }
    }

    /** Turns a SQLException into a one-line ManageDbException with the right exit code. */
    public static ManageDbException translate(Target target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean connection = state.startsWith("08") || state.startsWith("28") || state.equals("3D000")
                || state.equals("57P03") || state.equals("53300");
        String message = firstLine(e.getMessage());
        if (connection) {
            return new ManageDbException(ExitCode.UNREACHABLE, "cannot connect to " + target.masked() + ": " + message, e);
        }
        return new ManageDbException(ExitCode.FAILED, "database error on " + target.masked() + ": " + message, e);
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
