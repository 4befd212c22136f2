package io.managedb.cli;

import io.managedb.backup.PruneResult;
import io.managedb.backup.PruneService;
import io.managedb.backup.RetentionPolicy;
import io.managedb.cli.options.EnvironmentSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Delete old backups of environments' databases by a retention policy.")
final class BackupPruneCommand extends BaseCommand {
    @Mixin EnvironmentSelection selection;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest backups.") Integer keepLast;

    @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest backup of each of the last N days.")
    Integer keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest backup of each of the last N weeks.")
    Integer keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest backup of each of the last N months.")
    Integer keepMonthly;

    @Option(names = "--include-safety", description = "Let the policy delete safety backups too.")
    boolean includeSafety;

    @Option(names = "--dry-run", description = "Print what would be deleted; delete nothing.") boolean dryRun;

    @Override
    public Integer call() {
        RetentionPolicy policy = new RetentionPolicy(n(keepLast), n(keepDaily), n(keepWeekly), n(keepMonthly),
                keepLast != null || keepDaily != null || keepWeekly != null || keepMonthly != null);
        PruneService service = Services.prune(session());
        // a bad policy is a usage error before any environment is touched (or pinged)
        PruneService.validate(policy);
        return new FleetRunner<PruneResult>(this, "prune").size(r -> r.kept().stream().mapToLong(i -> {
                    Long n = BackupVerifyCommand.sizeOf(java.nio.file.Path.of(i.path()));
                    return n == null ? 0 : n;
                }).sum()).run(selection,
                env -> service.prune(env.name(), env.target().database(), policy, includeSafety, dryRun),
                (text, r) -> {
                    r.deleted().forEach(i -> text.line((r.dryRun() ? "would delete " : "deleted ") + i.path()));
                    r.kept().forEach(i -> text.line("kept " + i.path() + " (" + i.reason() + ")"));
                    text.line(summary(r));
                }, BackupPruneCommand::summary);
    }

    private static String summary(PruneResult r) {
        return r.deleted().size() + " backup(s) " + (r.dryRun() ? "would be " : "") + "deleted, " + r.kept().size()
                + " kept";
    }

    private static int n(Integer option) {
        return option == null ? 0 : option;
    }
}
