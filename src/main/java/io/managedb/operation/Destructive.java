package io.managedb.operation;

import io.managedb.db.TargetLock;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A destructive operation on one environment's database, declared as its own steps; {@link GuardedOperation} runs
 * them in the one order every such operation follows. {@code P} is what the operation would do (its plan, closed
 * after the work when it holds resources), {@code R} its result. Steps not declared do nothing: no preview, no
 * confirmation, the same plan under the lock, no safety backup.
 */
public final class Destructive<P, R> {
    /** The work, while the lock is held; {@code safetyBackup} is the safety backup taken, or null. */
    @FunctionalInterface
    public interface Work<P, R> {
        R run(P plan, TargetLock lock, String safetyBackup);
    }

    private final String name;
    private final Supplier<P> check;
    private Consumer<P> checked = plan -> { };
    private Function<P, R> preview = plan -> null;
    private Function<P, String> action = plan -> null;
    private BiFunction<P, TargetLock, P> replan = (plan, lock) -> plan;
    private Function<P, String> safetyBackup = plan -> null;
    private Work<P, R> work;

    private Destructive(String name, Supplier<P> check) {
        this.name = name;
        this.check = check;
    }

    /**
     * @param name  what the lock's holder is doing, e.g. {@code restore}
     * @param check the checks that can refuse without changing anything; returns the plan
     */
    public static <P, R> Destructive<P, R> named(String name, Supplier<P> check) {
        return new Destructive<>(name, check);
    }

    /**
     * Waits for what the check left running in the background (an archive's checksum), rethrowing its refusal.
     * {@link GuardedOperation} calls it before a preview is returned, before the operator is asked, before the
     * safety backup and the work, and after any other failure, so that the check's own refusal is the one reported.
     */
    public Destructive<P, R> checkedBy(Consumer<P> await) { this.checked = await; return this; }

    /** A result without doing anything (a dry run, or nothing to do), or null to go on. */
    public Destructive<P, R> preview(Function<P, R> preview) { this.preview = preview; return this; }

    /** What the operator confirms, e.g. "restore X into database Y". */
    public Destructive<P, R> confirming(Function<P, String> action) { this.action = action; return this; }

    /** The plan again under the lock: what may have changed meanwhile, and resources the work needs. */
    public Destructive<P, R> underLock(BiFunction<P, TargetLock, P> replan) { this.replan = replan; return this; }

    /** The label of the safety backup to take before the work (e.g. pre-restore), or null for none. */
    public Destructive<P, R> safetyBackup(Function<P, String> label) { this.safetyBackup = label; return this; }

    public Destructive<P, R> work(Work<P, R> work) { this.work = work; return this; }

    String name() {
        return name;
    }

    P check() {
        return check.get();
    }

    void awaitCheck(P plan) {
        checked.accept(plan);
    }

    R preview(P plan) {
        return preview.apply(plan);
    }

    String action(P plan) {
        return action.apply(plan);
    }

    P replan(P plan, TargetLock lock) {
        return replan.apply(plan, lock);
    }

    String safetyBackup(P plan) {
        return safetyBackup.apply(plan);
    }

    R work(P plan, TargetLock lock, String backup) {
        return Objects.requireNonNull(work, "no work declared").run(plan, lock, backup);
    }
}
