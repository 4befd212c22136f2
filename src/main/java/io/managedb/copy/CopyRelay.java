package io.managedb.copy;

import io.managedb.ManageDbException;
import io.managedb.config.Target;
import io.managedb.db.Connections;
import io.managedb.db.Sql;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Moves table rows from the source to the target server the way pgcopydb does: {@code COPY ... TO STDOUT} in the
 * exported snapshot relayed into {@code COPY ... FROM STDIN}, without pg_dump/pg_restore archive processing in
 * between. Only stored columns are copied (generated ones are recomputed by the target).
 */
final class CopyRelay {
    private CopyRelay() {
    }

    /** Copies the tables' rows in order over one connection pair; returns rows copied per table. */
    static Map<String, Long> copy(Target source, String snapshot, Target target, List<String> tables,
                                  Consumer<String> tableDone) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection src = Connections.open(source); Connection dst = Connections.open(target)) {
            src.setAutoCommit(false);
            src.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            src.setReadOnly(true);
            if (!snapshot.matches("[0-9A-Fa-f-]+")) {
                throw new IllegalArgumentException("not a snapshot id: " + snapshot);
            }
            try (Statement st = src.createStatement()) {
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            }
            dst.setAutoCommit(false);
            CopyManager out = src.unwrap(PGConnection.class).getCopyAPI();
            CopyManager in = dst.unwrap(PGConnection.class).getCopyAPI();
            for (String table : tables) {
                String[] parts = table.split("\\.", 2);
                String name = Sql.quoteIdent(parts[0]) + "." + Sql.quoteIdent(parts[1]);
                String columns = storedColumns(src, parts[0], parts[1]);
                CopyOut from = out.copyOut("COPY " + name + " " + columns + " TO STDOUT");
                CopyIn to = in.copyIn("COPY " + name + " " + columns + " FROM STDIN");
                try {
                    byte[] row;
                    while ((row = from.readFromCopy()) != null) {
                        to.writeToCopy(row, 0, row.length);
                    }
                    rows.put(table, to.endCopy());
                } finally {
                    if (to.isActive()) {
                        to.cancelCopy();
                    }
                }
                tableDone.accept(table);
            }
            dst.commit();
            src.rollback();
            return rows;
        } catch (SQLException e) {
            throw ManageDbException.failed("copying rows failed: " + Connections.translate(target, e).getMessage(), e);
        }
    }

    private static String storedColumns(Connection c, String schema, String table) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_attribute a JOIN pg_class r"
                + " ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ?"
                + " AND r.relname = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
                + " ORDER BY a.attnum")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(Sql.quoteIdent(rs.getString(1)));
                }
            }
        }
        return "(" + String.join(", ", cols) + ")";
    }
}
