package io.managedb.cli;

import io.managedb.cli.options.ConfirmOptions;
import io.managedb.cli.options.CopySelectionOptions;
import io.managedb.cli.options.MaskingOptions;
import io.managedb.cli.options.WaitOptions;
import io.managedb.config.Config;
import io.managedb.config.Environment;
import io.managedb.copy.CopyOptions;
import io.managedb.copy.Masking;
import io.managedb.copy.CopyResult;
import io.managedb.safety.Guard;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


@Command(name = "copy", description = "Copy a database from one environment to another, atomically.")
final class CopyCommand extends BaseCommand {
    @Option(names = "--from", required = true, paramLabel = "ENV1", description = "Source environment (only read).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ENV2", description = "Target environment (replaced).")
    String to;

    @Mixin CopySelectionOptions selection;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1", description = "1: stream pg_dump into"
            + " pg_restore; N > 1: N workers copy the rows in parallel, in one snapshot (as pgcopydb does).") int jobs;

    @Option(names = "--no-safety-backup", description = "Do not back up the target first.") boolean noSafetyBackup;

    @Option(names = "--dry-run", description = "Print what would be copied and replaced; change nothing.")
    boolean dryRun;

    @ArgGroup(exclusive = true) MaskingOptions masking;

    @Mixin ConfirmOptions confirm;

    @Mixin WaitOptions waitOptions;

    @Override
    public Integer call() {
        Output out = output();
        Environment source = config().environment(from);
        Masking m = MaskingOptions.masking(masking, config());
        // with --unmasked, --confirm may name the source: its confirmation, not the target's
        boolean confirmsSource = m.mode() == Masking.Mode.UNMASKED && confirm.confirm != null
                && Config.canonicalName(confirm.confirm).equals(source.name());
        CopyResult r = Services.copy(session()).copy(source, config().environment(to), new CopyOptions(
                        selection.scope(), selection.tables, selection.excludeTables, selection.excludeTableData,
                        jobs, !noSafetyBackup, dryRun, waitOptions.duration(), m, selection.subset()),
                new Guard(confirm.yes, confirmsSource ? null : confirm.confirm, session().context().prompter()),
                new Guard(false, confirmsSource ? confirm.confirm : null, session().context().prompter()),
                ProgressPrinter.forSession(session(), out));
        return out.result(r, text -> CopyRendering.render(text, r));
    }
}
