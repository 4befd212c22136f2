package io.managedb.cli;

import picocli.CommandLine.Command;

@Command(name = "migrate", description = "Schema migrations (Flyway SQL scripts in MANAGE_DB_MIGRATIONS_DIR).",
        subcommands = {MigrateCreateCommand.class, MigrateApplyCommand.class, MigrateRollbackCommand.class,
            MigrateStatusCommand.class, MigrateValidateCommand.class, MigrateBaselineCommand.class,
            MigrateRepairCommand.class})
final class MigrateCommand extends GroupCommand {
}
