package io.managedb.cli;

import io.managedb.cli.options.ConfirmOptions;
import io.managedb.cli.options.CopySelectionOptions;
import io.managedb.cli.options.WaitOptions;
import io.managedb.copy.CopyOptions;
import io.managedb.copy.CopyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "copy", description = "Copy a database from one environment to another, atomically.",
        footerHeading = "%nExamples:%n",
        footer = {"  manage-db copy --from test --to dev -y",
                  "  manage-db copy --from prod --to test --confirm test --jobs 2",
                  "  manage-db copy --from test --to dev --data-only --table 'public.patient*' -y",
                  "  manage-db copy --from prod --to dev --exclude-table-data audit_log --dry-run",
                  "",
                  "Table patterns follow pg_dump's -t/-T rules. The target is replaced only when the copy is",
                  "complete; it keeps its environment stamp, and a safety backup (label pre-copy) is taken first."})
final class CopyCommand extends BaseCommand {
    @Option(names = "--from", required = true, paramLabel = "ENV1", description = "Source environment (only read).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ENV2", description = "Target environment (replaced).")
    String to;

    @Mixin
    CopySelectionOptions selection;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1", description = "1: stream pg_dump into"
            + " pg_restore; N > 1: N workers copy the rows in parallel, in one snapshot (as pgcopydb does).")
    int jobs;

    @Option(names = "--no-safety-backup", description = "Do not back up the target first.")
    boolean noSafetyBackup;

    @Option(names = "--dry-run", description = "Print what would be copied and replaced; change nothing.")
    boolean dryRun;

    @Mixin
    ConfirmOptions confirm;

    @Mixin
    WaitOptions waitOptions;

    @Override
    public Integer call() {
        Output out = output();
        CopyResult r = Services.copy(session()).copy(config().environment(from), config().environment(to), request(),
                confirm.guard(session().context().prompter()),
                ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> CopyRendering.render(text, r));
    }

    private CopyOptions request() {
        return new CopyOptions(selection.scope(), selection.tables, selection.excludeTables,
                selection.excludeTableData, jobs, !noSafetyBackup, dryRun, waitOptions.duration());
    }
}
