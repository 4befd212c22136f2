package io.managedb.operation;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.backup.BackupOptions;
import io.managedb.backup.BackupService;
import io.managedb.config.Environment;
import io.managedb.db.TargetLock;
import io.managedb.safety.Guard;

import java.time.Duration;
import java.util.List;

/**
 * Runs every destructive operation the same way, in these steps: resolve the target, checks that can refuse
 * without changing anything, confirmation, stamp check, lock (the stamp checked again under it), the plan again
 * under the lock, safety backup, the work, and the result. A failure after the safety backup names it, in the
 * message and in the JSON error's {@code safetyBackup}.
 */
public final class GuardedOperation {
    /** The steps, in order, as {@link Steps} reports them. */
    public static final List<String> STEPS = List.of("target", "check", "confirm", "stamp", "lock", "plan",
            "safety backup", "work", "result");

    /** Told each step as it starts (for tests and debugging). */
    public interface Steps {
        void step(String operation, String step);

        Steps NONE = (operation, step) -> { };
    }

    private final BackupService backups;
    private final Steps steps;

    public GuardedOperation(BackupService backups) {
        this(backups, Steps.NONE);
    }

    public GuardedOperation(BackupService backups, Steps steps) {
        this.backups = backups;
        this.steps = steps;
    }

    public <P, R> R run(Environment env, Destructive<P, R> op, Guard guard, Duration lockWait, Progress progress) {
        String name = op.name();
        steps.step(name, "target");
        env.target();
        steps.step(name, "check");
        P plan = op.check();
        boolean replanned = false;
        try {
            R preview = op.preview(plan);
            if (preview != null) {
                op.awaitCheck(plan);
                return preview;
            }
            steps.step(name, "confirm");
            String action = op.action(plan);
            if (action != null) {
                if (guard.asks(env)) {
                    op.awaitCheck(plan); // nobody is asked about an archive that is going to be refused
                }
                guard.confirm(env, action);
            }
            steps.step(name, "stamp");
            try (TargetLock lock = TargetLock.forWriting(env, name, lockWait, () -> steps.step(name, "lock"))) {
                steps.step(name, "plan");
                P locked = op.replan(plan, lock);
                replanned = true;
                try {
                    op.awaitCheck(plan);
                    steps.step(name, "safety backup");
                    String label = op.safetyBackup(locked);
                    String backup = label == null ? null
                            : backups.backup(env, BackupOptions.safety(label), progress, lock).path();
                    steps.step(name, "work");
                    R result;
                    try {
                        result = op.work(locked, lock, backup);
                    } catch (RuntimeException e) {
                        throw backup == null ? e : ManageDbException.withSafetyBackup(e, backup);
                    }
                    steps.step(name, "result");
                    return result;
                } finally {
                    close(locked);
                }
            }
        } catch (RuntimeException e) {
            throw checkFirst(op, plan, e);
        } finally {
            if (!replanned) {
                close(plan); // refused before the plan under the lock: what the check started stops
            }
        }
    }

    /**
     * The check's own refusal when it has one (the other failure suppressed under it), else {@code failure}; an
     * interruption stays what it is.
     */
    private static <P> RuntimeException checkFirst(Destructive<P, ?> op, P plan, RuntimeException failure) {
        if (failure instanceof ManageDbException m && m.exitCode() == ExitCode.INTERRUPTED
                || Thread.currentThread().isInterrupted()) {
            return failure;
        }
        try {
            op.awaitCheck(plan);
        } catch (RuntimeException refused) {
            if (refused != failure) {
                refused.addSuppressed(failure);
            }
            return refused;
        }
        return failure;
    }

    private static void close(Object plan) {
        if (plan instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw ManageDbException.failed(e.getMessage(), e);
            }
        }
    }
}
