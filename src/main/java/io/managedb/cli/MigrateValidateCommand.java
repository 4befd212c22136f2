package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.migrate.ValidationResult;
import picocli.CommandLine.Command;

/** {@code migrate validate}: checksum mismatches and missing files, as exit 7. */
@Command(name = "validate", description = "Exit 7 on checksum mismatches or missing files, naming them.")
final class MigrateValidateCommand extends TargetCommand {
    @Override
    public Integer call() {
        ValidationResult r = migrate().validate(config().environment(target.env));
        return output().result(r, r.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED, "invalid migrations of "
                + r.environment() + ": " + String.join("; ", r.problems()), text -> {
            text.line(r.ok() ? "migrations of " + r.environment() + " are valid" : "invalid migrations:");
            r.problems().forEach(p -> text.line("  " + p));
        });
    }
}
