package io.managedb.cli;

import io.managedb.backup.BackupEntry;
import io.managedb.backup.BackupService;
import io.managedb.cli.options.TargetOptions;
import io.managedb.config.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

@Command(name = "list", description = "List backups, newest first, from their manifests.",
        footerHeading = "%nExamples:%n", footer = {"  manage-db backup list -e prod", "  manage-db backup list --all --json"})
final class BackupListCommand extends BaseCommand {
    @Mixin
    TargetOptions target;

    @Option(names = "--all", description = "Every environment's backups, and everything else in the directory.")
    boolean all;

    /** The listing. */
    record Listing(String directory, List<BackupEntry> backups) {
    }

    @Override
    public Integer call() {
        var catalog = Services.catalog(session());
        List<BackupEntry> entries = catalog.entries();
        if (!all) {
            Environment env = config().environment(target.env);
            String prefix = BackupService.prefix(env.name(), env.target().database());
            entries = entries.stream().filter(e -> e.manifest() != null
                    ? e.manifest().environment().equals(env.name()) : e.name().startsWith(prefix)).toList();
        }
        Listing listing = new Listing(catalog.dir().toString(), entries);
        Instant now = Instant.now();
        return output().result(listing, text -> {
            if (listing.backups().isEmpty()) {
                text.line("no backups in " + listing.directory());
                return;
            }
            text.table(List.of("CREATED (UTC)", "AGE", "ENV", "DATABASE", "SIZE", "FORMAT", "LABEL", "SCHEMA",
                    "STATUS", "FILE"), listing.backups().stream().map(e -> List.of(
                    e.createdAt().toString().replace("T", " ").replaceAll("\\.\\d+Z$|Z$", ""),
                    Text.age(Math.max(0, Duration.between(e.createdAt(), now).toSeconds())),
                    e.manifest() == null ? "?" : e.manifest().environment(),
                    e.manifest() == null ? "?" : e.manifest().database(),
                    Text.bytes(e.sizeBytes()),
                    e.manifest() == null ? "?" : e.manifest().format(),
                    e.manifest() == null || e.manifest().label() == null ? "" : e.manifest().label(),
                    e.manifest() == null || e.manifest().schemaVersion() == null ? "" : e.manifest().schemaVersion(),
                    e.good() ? text.ok("ok") : text.bad(e.status()),
                    e.name())).toList());
        });
    }
}
