package io.managedb.pg;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Runs pg_dump, pg_restore and psql: drains stdout and stderr concurrently (a chatty child would otherwise block on
 * a full pipe), streams stdout without holding it in memory, kills the child on timeout, interrupt and JVM shutdown
 * (Ctrl-C, SIGTERM), and turns a non-zero exit into an exception carrying the status and the last stderr lines.
 * Temporary files registered with {@link #deleteOnAbort(Path)} are removed when the JVM is stopped mid-way.
 */
public final class ProcessRunner implements AutoCloseable {
    private static final int STDERR_TAIL = 20;
    private static final int CAPTURE_LIMIT = 16 * 1024 * 1024;
    private static final int RELAY_BLOCK = 256 * 1024;
    private static final Pattern IMPORTANT =
            Pattern.compile("(?i)error|fatal|detail|hint|could not|failed|warning|invalid|unexpected");

    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final Set<Path> abortCleanup = ConcurrentHashMap.newKeySet();
    private final Set<Runnable> abortActions = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook = new Thread(this::abort, "manage-db-shutdown");
    /** Counted down when the command has reported how it ended: the shutdown hook waits for that report. */
    private final java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);

    public ProcessRunner() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Runs to completion; a non-zero exit status is a {@link ManageDbException} (exit code 1). */
    public ProcessResult run(ProcessSpec spec) {
        ProcessResult result = runUnchecked(spec);
        if (result.exitCode() != 0) {
            throw failure(spec.name(), result);
        }
        return result;
    }

    /** Runs to completion and returns however it ended. */
    public ProcessResult runUnchecked(ProcessSpec spec) {
        Process process = start(spec);
        return finish(spec, process, spec.stdout());
    }

    /**
     * Runs {@code producer | consumer}, relaying the producer's stdout into the consumer's stdin in large blocks.
     * Both exit statuses are checked: a failure of either side is a failure. Returns how the consumer ended (its
     * stdout captured unless redirected).
     */
    public ProcessResult pipe(ProcessSpec producer, ProcessSpec consumer) {
        return pipe(producer, consumer, bytes -> { });
    }

    /**
     * As {@link #pipe(ProcessSpec, ProcessSpec)}, telling {@code moved} how many bytes each block carried (for
     * progress). A consumer that stops reading gets the producer stopped, and its own error is then the cause.
     */
    public ProcessResult pipe(ProcessSpec producer, ProcessSpec consumer, LongConsumer moved) {
        Process source = start(producer);
        try {
            source.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to close
        }
        AtomicBoolean consumerStopped = new AtomicBoolean();
        Deque<String> producerTail = new ArrayDeque<>();
        Thread producerErr = drainLines(source.getErrorStream(), producer, producerTail);
        ProcessResult consumerResult;
        try {
            ProcessSpec fed = consumer.stdinFrom(in -> {
                try (InputStream out = source.getInputStream()) {
                    relay(out, in, moved, () -> {
                        consumerStopped.set(true);
                        kill(source);
                    });
                }
            });
            consumerResult = finish(fed, start(fed), fed.stdout());
        } catch (RuntimeException e) {
            kill(source);
            live.remove(source);
            throw e;
        }
        ProcessResult producerResult = waitFor(producer, source, producerErr, producerTail, null, null);
        // a consumer that fails stops the producer: then the consumer's error is the cause
        boolean stoppedByConsumer = consumerStopped.get() && consumerResult.exitCode() != 0;
        if (producerResult.exitCode() != 0 && !stoppedByConsumer) {
            throw failure(producer.name(), producerResult);
        }
        if (consumerResult.exitCode() != 0) {
            throw failure(consumer.name(), consumerResult);
        }
        return consumerResult;
    }

    private static void relay(InputStream from, OutputStream to, LongConsumer moved, Runnable consumerGone)
            throws IOException {
        byte[] block = new byte[RELAY_BLOCK];
        int n;
        while ((n = from.read(block)) >= 0) {
            try {
                to.write(block, 0, n);
            } catch (IOException e) {
                consumerGone.run();
                throw e;
            }
            moved.accept(n);
        }
    }

    private ProcessBuilder builder(ProcessSpec spec) {
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        pb.environment().clear();
        pb.environment().putAll(spec.environment());
        return pb;
    }

    private Process start(ProcessSpec spec) {
        try {
            Process process = builder(spec).start();
            live.add(process);
            return process;
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CONFIG, "cannot run " + spec.command().get(0) + ": "
                    + e.getMessage(), e);
        }
    }

    private ProcessResult finish(ProcessSpec spec, Process process, OutputStream stdout) {
        ByteArrayOutputStream captured = stdout == null ? new BoundedBuffer() : null;
        AtomicReference<IOException> outError = new AtomicReference<>();
        AtomicReference<IOException> inError = new AtomicReference<>();
        Thread in = null;
        if (spec.stdinWriter() != null) {
            in = daemon(spec.name() + "-stdin", () -> {
                try (OutputStream childIn = process.getOutputStream()) {
                    spec.stdinWriter().writeTo(childIn);
                } catch (IOException e) {
                    // a child that exits early closes its stdin: its exit status tells what happened
                    inError.set(e);
                }
            });
        } else {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // nothing to close
            }
        }
        Thread out = daemon(spec.name() + "-stdout", () -> {
            try (InputStream childOut = process.getInputStream()) {
                childOut.transferTo(stdout != null ? stdout : captured);
            } catch (IOException e) {
                outError.set(e);
                process.destroyForcibly();
            }
        });
        Deque<String> tail = new ArrayDeque<>();
        Thread err = drainLines(process.getErrorStream(), spec, tail);
        ProcessResult result = waitFor(spec, process, err, tail, out, captured);
        if (in != null) {
            try {
                in.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (inError.get() != null && result.exitCode() == 0) {
                throw ManageDbException.failed("feeding " + spec.name() + " failed: " + inError.get().getMessage(),
                        inError.get());
            }
        }
        if (outError.get() != null) {
            throw ManageDbException.failed("writing the output of " + spec.name() + " failed: "
                    + outError.get().getMessage(), outError.get());
        }
        return result;
    }

    private ProcessResult waitFor(ProcessSpec spec, Process process, Thread err, Deque<String> tail, Thread out,
                                  ByteArrayOutputStream captured) {
        try {
            boolean finished = spec.timeout() == null ? process.waitFor() >= Integer.MIN_VALUE
                    : process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
                throw ManageDbException.failed(spec.name() + " timed out after " + spec.timeout().toSeconds()
                        + " s and was stopped", null);
            }
            if (out != null) {
                out.join();
            }
            err.join();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new ManageDbException(ExitCode.INTERRUPTED, spec.name() + " was interrupted and stopped");
        } finally {
            live.remove(process);
        }
        String stdout = captured == null ? "" : captured.toString(StandardCharsets.UTF_8);
        synchronized (tail) {
            return new ProcessResult(process.exitValue(), stdout, List.copyOf(tail));
        }
    }

    private Thread drainLines(InputStream stream, ProcessSpec spec, Deque<String> tail) {
        return daemon(spec.name() + "-stderr", () -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > STDERR_TAIL) {
                            tail.removeFirst();
                        }
                    }
                    if (spec.stderrLines() != null) {
                        spec.stderrLines().accept(line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the child is gone or the listener failed: stop reading, the exit status tells the rest
            }
        });
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static ManageDbException failure(String name, ProcessResult result) {
        List<String> lines = result.stderrTail().stream().filter(l -> !l.isBlank()).map(String::strip).toList();
        List<String> important = lines.stream().filter(l -> IMPORTANT.matcher(l).find()).toList();
        List<String> pick = important.isEmpty() ? lines : important;
        List<String> last = pick.subList(Math.max(0, pick.size() - 3), pick.size());
        return ManageDbException.failed(name + " failed (exit status " + result.exitCode() + ")"
                + (last.isEmpty() ? "" : ": " + String.join(" | ", last)), null);
    }

    /** Registers a temporary path to delete if the JVM is stopped before {@link #release(Path)}. */
    public void deleteOnAbort(Path path) {
        abortCleanup.add(path);
    }

    public void release(Path path) {
        abortCleanup.remove(path);
    }

    /** Registers an action (e.g. dropping a scratch database) to run if the JVM is stopped before it is removed. */
    public void onAbort(Runnable action) {
        abortActions.add(action);
    }

    public void removeOnAbort(Runnable action) {
        abortActions.remove(action);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void abort() {
        boolean busy = !live.isEmpty() || !abortCleanup.isEmpty() || !abortActions.isEmpty();
        live.forEach(ProcessRunner::kill);
        for (Path path : abortCleanup) {
            io.managedb.files.Trees.deleteRecursively(path);
        }
        for (Runnable action : abortActions) {
            try {
                action.run();
            } catch (RuntimeException ignored) {
                // best effort while the JVM stops; the next run cleans what is left
            }
        }
        try {
            // when an operation was stopped, let the command say so (and --json print its document) before the JVM
            // halts; an idle runner has nothing to report
            if (busy) {
                reported.await(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the cleanup
        }
    }

    /** Captures at most CAPTURE_LIMIT bytes and drops the rest, so a surprise flood cannot exhaust memory. */
    private static final class BoundedBuffer extends ByteArrayOutputStream {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, Math.max(0, Math.min(len, CAPTURE_LIMIT - count)));
        }

        @Override
        public synchronized void write(int b) {
            if (count < CAPTURE_LIMIT) {
                super.write(b);
            }
        }
    }
}
