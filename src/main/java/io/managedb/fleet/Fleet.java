package io.managedb.fleet;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one operation on several environments, {@code parallel} at a time, each on its own (each takes its own
 * target lock). One environment's failure never stops the others; the run's exit code is the worst one.
 */
public final class Fleet {
    /**
     * Worst first. An interrupted run is incomplete; a failed operation (disk, pg_dump, I/O) needs a human now; a
     * verification problem means a backup is bad; unreachable is a server down or credentials wrong; configuration
     * and usage (e.g. no backup to verify) need an edit; a refusal is a safety rule doing its job; busy means another
     * manage-db is at work on that database and the next run will do it.
     */
    public static final List<ExitCode> SEVERITY = List.of(ExitCode.TERMINATED, ExitCode.INTERRUPTED, ExitCode.FAILED,
            ExitCode.CHECK_FAILED, ExitCode.UNREACHABLE, ExitCode.CONFIG, ExitCode.USAGE, ExitCode.REFUSED,
            ExitCode.BUSY, ExitCode.OK);

    /** Told when each environment's work begins and ends, on the thread that does it. */
    public interface Listener<R> {
        default void started(Environment env) {
        }

        default void finished(Outcome<R> outcome) {
        }
    }

    private Fleet() {
    }

    /**
     * Runs {@code work} on every environment and returns the outcomes in the order given.
     *
     * @param exitCode the exit code of a result (a verification that found a problem is not OK)
     */
    public static <R> List<Outcome<R>> run(List<Environment> envs, int parallel, Function<Environment, R> work,
                                           Function<R, ExitCode> exitCode, Listener<R> listener) {
        if (parallel < 1) {
            throw new ManageDbException(ExitCode.USAGE, "--parallel " + parallel + ": N must be 1 or more");
        }
        if (parallel == 1 || envs.size() <= 1) {
            List<Outcome<R>> outcomes = new ArrayList<>();
            envs.forEach(env -> outcomes.add(one(env, work, exitCode, listener)));
            return outcomes;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, envs.size()), r -> {
            Thread t = new Thread(r, "manage-db-fleet-" + n.incrementAndGet());
            t.setDaemon(true); // a signal ends the JVM; its shutdown hooks stop the children
            return t;
        });
        try {
            List<Future<Outcome<R>>> futures = new ArrayList<>();
            envs.forEach(env -> futures.add(pool.submit(() -> one(env, work, exitCode, listener))));
            List<Outcome<R>> outcomes = new ArrayList<>();
            for (Future<Outcome<R>> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManageDbException(ExitCode.INTERRUPTED, "interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // one() catches everything but Errors
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> Outcome<R> one(Environment env, Function<Environment, R> work, Function<R, ExitCode> exitCode,
                                      Listener<R> listener) {
        long start = System.nanoTime();
        listener.started(env);
        Outcome<R> outcome;
        try {
            R result = work.apply(env);
            outcome = new Outcome<>(env, exitCode.apply(result), result, null, since(start));
        } catch (ManageDbException e) {
            outcome = new Outcome<>(env, e.exitCode(), null, e, since(start));
        } catch (RuntimeException e) {
            outcome = new Outcome<>(env, ExitCode.FAILED, null, e, since(start));
        }
        listener.finished(outcome);
        return outcome;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The worst of these exit codes by {@link #SEVERITY}; OK for none. */
    public static ExitCode worst(Collection<ExitCode> codes) {
        return codes.stream().min(java.util.Comparator.comparingInt(SEVERITY::indexOf)).orElse(ExitCode.OK);
    }
}
