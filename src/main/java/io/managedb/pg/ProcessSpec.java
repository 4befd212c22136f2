package io.managedb.pg;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What to run: an argument list (never a shell string), the child's whole environment, where its stdout goes
 * (null: captured as text), who listens to its stderr lines, an optional timeout, and what writes its stdin.
 */
public record ProcessSpec(List<String> command, Map<String, String> environment, OutputStream stdout,
                          Consumer<String> stderrLines, Duration timeout, StdinWriter stdinWriter) {

    /** Writes a child's standard input from this JVM (e.g. a decompressed dump), on its own thread. */
    @FunctionalInterface
    public interface StdinWriter {
        void writeTo(OutputStream stdin) throws java.io.IOException;
    }

    public ProcessSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    public static ProcessSpec of(List<String> command, Map<String, String> environment) {
        return new ProcessSpec(command, environment, null, null, null, null);
    }

    public ProcessSpec stdoutTo(OutputStream out) {
        return new ProcessSpec(command, environment, out, stderrLines, timeout, stdinWriter);
    }

    public ProcessSpec onStderrLine(Consumer<String> listener) {
        return new ProcessSpec(command, environment, stdout, listener, timeout, stdinWriter);
    }

    public ProcessSpec timeout(Duration limit) {
        return new ProcessSpec(command, environment, stdout, stderrLines, limit, stdinWriter);
    }


    public ProcessSpec stdinFrom(StdinWriter writer) {
        return new ProcessSpec(command, environment, stdout, stderrLines, timeout, writer);
    }

    /** The program's short name, for messages. */
    public String name() {
        return Path.of(command.get(0)).getFileName().toString();
    }
}
