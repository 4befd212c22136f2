package io.managedb.operation;

import io.managedb.db.TargetLock;

/**
 * A destructive operation on one environment's database, declared as its own steps; {@link GuardedOperation} runs
 * them in the one order every such operation follows. {@code P} is what the operation would do (its plan, closed
 * after the work when it holds resources), {@code R} its result.
 */
public interface Destructive<P, R> {
    /** What the lock's holder is doing, e.g. {@code restore}. */
    String name();

    /** Checks that can refuse without changing anything; returns the plan. */
    P check();

    /** A result without doing anything (a dry run, or nothing to do), or null to go on. */
    default R preview(P plan) {
        return null;
    }

    /** What the operator confirms, e.g. "restore X into database Y"; null when nothing needs confirming. */
    String action(P plan);

    /** The plan again under the lock: what may have changed meanwhile, and resources the work needs. */
    default P replan(P plan, TargetLock lock) {
        return plan;
    }

    /** The label of the safety backup to take before the work (e.g. pre-restore), or null for none. */
    String safetyBackup(P plan);

    /**
     * The work, while the lock is held.
     *
     * @param safetyBackup the safety backup taken, or null
     */
    R work(P plan, TargetLock lock, String safetyBackup);
}
