package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.migrate.MigrateService;
import picocli.CommandLine.Command;

@Command(name = "migrate", description = "Schema migrations (Flyway SQL scripts in MANAGE_DB_MIGRATIONS_DIR).",
        subcommands = {MigrateCreateCommand.class, MigrateApplyCommand.class, MigrateRollbackCommand.class,
            MigrateStatusCommand.class, MigrateValidateCommand.class, MigrateBaselineCommand.class,
            MigrateRepairCommand.class})
final class MigrateCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }

    /** The service, with a note on stderr when a Flyway CLI configuration supplied settings. */
    static MigrateService service(BaseCommand command, Output out) {
        MigrateService service = Services.migrate(command.session());
        if (service.settings().source() != null) {
            out.info("manage-db: using migrations settings from " + service.settings().source().getFileName() + " ("
                    + service.settings().source() + "): locations, table, schemas, placeholders");
        }
        return service;
    }
}
