package io.managedb.cli;

import picocli.CommandLine.Command;

@Command(name = "migrate", description = "Schema migrations (Flyway SQL scripts in MANAGE_DB_MIGRATIONS_DIR).")
final class MigrateCommand extends GroupCommand {
}
