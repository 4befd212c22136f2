package io.managedb.db;

import io.managedb.config.Target;
import io.managedb.pg.ProcessRunner;

import java.util.UUID;
import java.util.function.Function;

/**
 * A fresh, empty scratch database of a server for one piece of work (a deep verify, a doctor drill, drift's expected
 * schema), dropped afterwards whatever happens, and also when the JVM is stopped mid-way.
 */
public final class ScratchDatabase {
    private ScratchDatabase() {
    }

    /**
     * @param server     a target on the server to create it on (its database names the scratch database)
     * @param purpose    part of the name, e.g. {@code verify}
     * @param forRestore connect as {@link Admin#forRestore} does, for restoring an archive into it
     * @param work       given the scratch database's target
     */
    public static <T> T with(Target server, String purpose, boolean forRestore, ProcessRunner runner,
                             Function<Target, T> work) {
        String name = ScratchNames.of(server.database(), purpose, UUID.randomUUID());
        try (Admin admin = Admin.connect(server)) {
            Runnable drop = Admin.dropOnAbort(server, name);
            runner.onAbort(drop);
            try {
                admin.create(name, null);
                Target scratch = server.withDatabase(name);
                return work.apply(forRestore ? admin.forRestore(scratch) : scratch);
            } finally {
                try {
                    admin.dropIfExists(name);
                } finally {
                    runner.removeOnAbort(drop);
                }
            }
        }
    }
}
