package io.managedb.testing;

/** How one manage-db invocation ended: exit code, stdout, stderr. */
public record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
