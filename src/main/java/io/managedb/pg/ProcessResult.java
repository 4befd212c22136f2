package io.managedb.pg;

import java.util.List;

/**
 * How a child process ended.
 *
 * @param stdout     its standard output when it was captured, else empty
 * @param stderrTail the last lines of its standard error
 */
public record ProcessResult(int exitCode, String stdout, List<String> stderrTail) {
}
