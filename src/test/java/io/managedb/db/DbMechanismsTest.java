package io.managedb.db;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.ConnectionUrl;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.testing.PgEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DbMechanismsTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static Target target(String env) {
        return ConnectionUrl.parse(pg.url(env), "K", Map.of("HOME", "/nonexistent"));
    }

    @Test
    void aSecondLockHolderIsRefusedWithTheHolderNamedUntilTheFirstLetsGo() {
        try (TargetLock first = TargetLock.acquire(target("dev"), "backup", null)) {
            assertThatThrownBy(() -> TargetLock.acquire(target("dev"), "restore", null))
                    .isInstanceOf(ManageDbException.class)
                    .hasMessageContaining("is busy: locked by manage-db backup (pid " + ProcessHandle.current().pid())
                    .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.BUSY);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> TargetLock.acquire(target("dev"), "restore", Duration.ofSeconds(1)))
                    .hasMessageContaining("waited 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            TargetLock.acquire(target("test"), "backup", null).close();
        }
        TargetLock.acquire(target("dev"), "restore", null).close();
    }

    @Test
    void stampIsReadWrittenAndEnforced() throws Exception {
        try (Connection c = pg.connect("test")) {
            EnvironmentStamp.write(c, pg.database("test"), "test");
            assertThat(EnvironmentStamp.read(c, pg.database("test"))).contains("test");
            Environment asProd = new Environment("prod", target("test"), "x", false, true);
            assertThatThrownBy(() -> EnvironmentStamp.requireMatches(c, asProd))
                    .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.REFUSED);
            EnvironmentStamp.requireMatches(c, new Environment("test", target("test"), "x", false, false));
        }
    }

    @Test
    void nestedTransactionsBecomeSavepoints() {
        pg.sql("dev", "CREATE TABLE tx_test (v int)");
        try (Database db = Database.open(target("dev"))) {
            db.inTransaction(c -> {
                insert(c, 1);
                assertThatThrownBy(() -> db.inTransaction(inner -> {
                    insert(inner, 2);
                    throw new IllegalStateException("inner fails");
                })).hasMessage("inner fails");
                db.inTransaction(inner -> insert(inner, 3));
                return null;
            });
            assertThatThrownBy(() -> db.inTransaction(c -> insert(c, 4) / 0)).isInstanceOf(ArithmeticException.class);
            try (Connection c = db.connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT string_agg(v::text, ',' ORDER BY v) FROM tx_test")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1,3");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnreachableDatabaseIsExitFour() {
        Target nowhere = ConnectionUrl.parse("postgresql://u:pw@127.0.0.1:1/x", "K", Map.of());
        assertThatThrownBy(() -> Database.open(nowhere)).extracting(e -> ((ManageDbException) e).exitCode())
                .isEqualTo(ExitCode.UNREACHABLE);
    }

    private static int insert(Connection c, int v) throws java.sql.SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeUpdate("INSERT INTO tx_test VALUES (" + v + ")");
        }
    }

    @Test
    void rowCountsGiveWayToASessionHoldingATableLockAndCountTheOthersMeanwhile() throws Exception {
        pg.sql("test", "CREATE TABLE give_way (v int); INSERT INTO give_way SELECT generate_series(1, 5);"
                + " CREATE TABLE free_table (v int); INSERT INTO free_table SELECT generate_series(1, 3)");
        try (Connection holder = pg.connect("test"); RowCounter counter = new RowCounter(target("test"))) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("LOCK TABLE give_way IN ACCESS EXCLUSIVE MODE");
            }
            java.util.concurrent.atomic.AtomicBoolean othersDone = new java.util.concurrent.atomic.AtomicBoolean();
            counter.allLoaded(othersDone::get);
            java.util.concurrent.CompletableFuture<java.util.Map<String, Long>> counting =
                    java.util.concurrent.CompletableFuture.supplyAsync(counter::counts);
            Thread.sleep(300);
            assertThat(counting).as("it waits for the locked table, trying again, without blocking the holder")
                    .isNotDone();
            try (Statement st = holder.createStatement()) {
                // the holder can still take locks the counter might hold: no deadlock
                st.execute("LOCK TABLE free_table IN ACCESS EXCLUSIVE MODE");
            }
            holder.rollback();
            othersDone.set(true);
            assertThat(counting.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .containsEntry("public.give_way", 5L).containsEntry("public.free_table", 3L);
        }
    }

    @Test
    void aTableIsCountedAsSoonAsItsRowsAreSaidToBeIn() throws Exception {
        pg.sql("test", "CREATE SCHEMA \"odd.schema\"; CREATE TABLE \"odd.schema\".\"loaded first\" (v int);"
                + " INSERT INTO \"odd.schema\".\"loaded first\" SELECT generate_series(1, 4);"
                + " CREATE TABLE loaded_later (v int); INSERT INTO loaded_later VALUES (1)");
        try (RowCounter counter = new RowCounter(target("test"))) {
            counter.loaded("odd.schema.loaded first");
            counter.loaded("no.such_table"); // a name the messages gave that matches no table: counted with the rest
            Thread.sleep(500);
            // rows written after a table was said to be loaded are not the restore's: its count was taken then
            pg.sql("test", "INSERT INTO \"odd.schema\".\"loaded first\" VALUES (5); INSERT INTO loaded_later VALUES (2)");
            assertThat(counter.counts()).containsEntry("odd.schema.loaded first", 4L)
                    .containsEntry("public.loaded_later", 2L);
        }
        Thread.sleep(200);
        assertThat(pg.query("test", "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid()")).as("the counting session is closed").isEqualTo("0");
    }
}
