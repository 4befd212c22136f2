package io.managedb.cli;

import io.managedb.backup.BackupCatalog;
import io.managedb.backup.BackupEntry;
import io.managedb.config.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

@Command(name = "list", description = "List backups, newest first, from their manifests.")
final class BackupListCommand extends TargetCommand {

    @Option(names = "--all", description = "Every environment's backups, and everything else in the directory.")
    boolean all;

    /**
     * The listing.
     *
     * @param environment  the environment listed (null with --all)
     * @param database     its database (null with --all)
     * @param otherBackups how many other items of the directory were left out (null with --all)
     */
    record Listing(String directory, String environment, String database, Integer otherBackups,
                   List<BackupEntry> backups) {
    }

    @Override
    public Integer call() {
        var catalog = Services.catalog(session());
        Listing listing;
        if (all) {
            listing = new Listing(catalog.location(), null, null, null, catalog.entries());
        } else {
            Environment env = config().environment(target.env);
            BackupCatalog.Selection mine = catalog.entries(env);
            listing = new Listing(catalog.repository(env.name()).location(), env.name(), env.target().database(),
                    mine.others(),
                    mine.entries());
        }
        Instant now = Instant.now();
        return output().result(listing, text -> {
            if (listing.backups().isEmpty()) {
                text.line(empty(listing));
                return;
            }
            text.table(List.of("CREATED (UTC)", "AGE", "ENV", "DATABASE", "SCOPE", "SIZE", "FORMAT", "LABEL",
                    "MIGRATION", "STATUS", "FILE"), listing.backups().stream().map(e -> List.of(
                    Text.utc(e.createdAt()),
                    Text.age(Math.max(0, Duration.between(e.createdAt(), now).toSeconds())),
                    e.manifest() == null ? "?" : e.manifest().environment(),
                    e.manifest() == null ? "?" : e.manifest().database(),
                    e.manifest() == null || e.manifest().scope() == null ? "-" : e.manifest().scope(),
                    Text.bytes(e.sizeBytes()),
                    e.manifest() == null ? "?" : e.manifest().format(),
                    e.manifest() == null || e.manifest().label() == null ? "" : e.manifest().label(),
                    e.manifest() == null || e.manifest().schemaVersion() == null ? "" : e.manifest().schemaVersion(),
                    e.good() ? text.ok("ok") : text.bad(e.status()),
                    e.name())).toList());
        });
    }

    private static String empty(Listing l) {
        if (l.environment() == null || l.otherBackups() == 0) {
            return l.environment() == null ? "no backups in " + l.directory()
                    : "no backups of " + l.environment() + " (database " + l.database() + ") in " + l.directory();
        }
        return "no backups of " + l.environment() + " (database " + l.database() + ") in " + l.directory() + "; "
                + l.otherBackups() + " backup(s) of other environments there: manage-db backup list --all";
    }
}
