package io.managedb.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs manage-db in a separate JVM (from the test classpath), so that a test can kill it like an operator would. */
public final class Jvm {
    private Jvm() {
    }

    /** Starts manage-db in {@code workDir}; its stderr goes to a file there (removed with the test's directory). */
    public static Process start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, java.nio.file.Files.createTempFile(workDir, "manage-db-jvm", ".err"), args);
    }

    /** As {@link #start(Path, Map, String...)}, with stderr written to {@code stderr}. */
    public static Process start(Path workDir, Map<String, String> env, Path stderr, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.managedb.ManageDb"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /** SIGKILL to the JVM and everything it started: nothing gets to clean up. */
    public static void killHard(Process p) throws InterruptedException {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
    }

    /** Waits until a condition holds, polling every 20 ms, failing after the timeout. */
    public static void await(String what, long timeoutMillis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
