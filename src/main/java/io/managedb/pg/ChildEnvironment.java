package io.managedb.pg;

import io.managedb.core.ManageDbException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A child's environment variables and the temporary password file they point at, deleted on close. */
public final class ChildEnvironment implements AutoCloseable {
    private final Map<String, String> variables;
    private final Path passFile;
    private final ProcessRunner runner;

    ChildEnvironment(Map<String, String> variables, Path passFile, ProcessRunner runner) {
        this.variables = Map.copyOf(variables);
        this.passFile = passFile;
        this.runner = runner;
    }

    public Map<String, String> variables() {
        return variables;
    }

    @Override
    public void close() {
        if (passFile != null) {
            try {
                Files.deleteIfExists(passFile);
            } catch (IOException e) {
                throw ManageDbException.failed("cannot delete the temporary password file " + passFile, e);
            }
            runner.release(passFile);
        }
    }
}
