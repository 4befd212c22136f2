package io.managedb.cli;

import io.managedb.backup.BackupCatalog;
import io.managedb.backup.BackupKeys;
import io.managedb.backup.BackupService;
import io.managedb.backup.PruneService;
import io.managedb.backup.VerifyService;
import io.managedb.check.CheckService;
import io.managedb.check.EnvironmentCheck;
import io.managedb.config.Setting;
import io.managedb.copy.CopyService;
import io.managedb.maintenance.InitService;
import io.managedb.operation.GuardedOperation;
import io.managedb.maintenance.ResetService;
import io.managedb.maintenance.TriggerInstaller;
import io.managedb.migrate.MigrateService;
import io.managedb.migrate.MigrationSettings;
import io.managedb.restore.RestoreService;
import io.managedb.triggers.TriggerReport;
import io.managedb.triggers.TriggerService;
import io.managedb.triggers.TriggerSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Builds the core services from a session's collaborators, in one place. */
final class Services {
    private Services() {
    }

    static CheckService check(Session s) {
        BackupCatalog catalog = catalog(s);
        return new CheckService(s.config(), s.tools(), env -> catalog.latest(env)
                .map(e -> new EnvironmentCheck.NewestBackup(e.path(), e.createdAt().toString(),
                        Duration.between(e.createdAt(), Instant.now()).toSeconds())), env -> triggers(s).summary(env));
    }

    static TriggerService triggers(Session s) {
        return new TriggerService(TriggerSettings.of(s.config()), pipeline(s));
    }

    /** The one pipeline every destructive operation runs through. */
    static GuardedOperation pipeline(Session s) {
        return new GuardedOperation(backup(s));
    }

    /**
     * The backup catalog of every environment's repository, with the manifest index of a local one in the user's
     * cache directory (none without a home; a bucket is listed each time).
     */
    static BackupCatalog catalog(Session s) {
        var env = s.context().env();
        String cache = env.get("XDG_CACHE_HOME");
        Path cacheDir = cache != null && !cache.isBlank() && Path.of(cache).isAbsolute() ? Path.of(cache, "manage-db")
                : env.get("HOME") != null && !env.get("HOME").isBlank() ? Path.of(env.get("HOME"), ".cache", "manage-db")
                : null;
        return new BackupCatalog(s.repositories(), BackupKeys.of(s.config()), repo -> cacheDir == null
                || repo.localPath("") == null ? null : BackupCatalog.indexFile(cacheDir, repo.location()));
    }

    static BackupService backup(Session s) {
        return new BackupService(s.tools(), s.repositories(), VersionProvider.version(), java.time.Clock.systemUTC(),
                BackupKeys.of(s.config()));
    }

    static VerifyService verify(Session s) {
        return new VerifyService(s.tools());
    }

    static PruneService prune(Session s) {
        return new PruneService(catalog(s));
    }

    static CopyService copy(Session s) {
        return new CopyService(s.tools(), backup(s));
    }

    static MigrateService migrate(Session s) {
        return new MigrateService(backup(s), MigrationSettings.load(s.config()));
    }

    static InitService init(Session s) {
        TriggerService triggers = triggers(s);
        return new InitService(migrate(s), s.config().path(Setting.SEED_DIR), (env, lock) -> {
            TriggerReport r = triggers.apply(env, false, lock);
            return new TriggerInstaller.Installed(!r.upToDate(), r.upToDate() ? "up to date" : r.created().size()
                    + " created, " + r.replaced().size() + " replaced, " + r.removed().size() + " removed");
        }, pipeline(s));
    }

    static ResetService reset(Session s) {
        return new ResetService(s.tools(), init(s), pipeline(s));
    }

    static RestoreService restore(Session s) {
        return new RestoreService(s.tools(), catalog(s), pipeline(s));
    }
}
