package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.cli.options.TargetOptions;
import io.managedb.migrate.ValidationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate validate}: checksum mismatches and missing files, as exit 7. */
@Command(name = "validate", description = "Exit 7 on checksum mismatches or missing files, naming them.")
final class MigrateValidateCommand extends BaseCommand {
    @Mixin
    TargetOptions target;

    @Override
    public Integer call() {
        Output out = output();
        ValidationResult r = MigrateCommand.service(this, out).validate(config().environment(target.env));
        return out.result(r, r.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED, "invalid migrations of "
                + r.environment() + ": " + String.join("; ", r.problems()), text -> {
            text.line(r.ok() ? "migrations of " + r.environment() + " are valid" : "invalid migrations:");
            r.problems().forEach(p -> text.line("  " + p));
        });
    }
}
