package io.managedb.cli;

import io.managedb.migrate.CreateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code migrate create}: writes a new migration and its undo script. */
@Command(name = "create", description = "Write a new migration and its undo script.")
final class MigrateCreateCommand extends BaseCommand {
    @Parameters(paramLabel = "DESCRIPTION", description = "What the migration does, e.g. \"add patient index\".")
    String description;

    @Override
    public Integer call() {
        CreateResult r = migrate().create(description);
        return output().result(r, text -> {
            text.line(r.migration());
            text.line(r.undo());
        });
    }
}
