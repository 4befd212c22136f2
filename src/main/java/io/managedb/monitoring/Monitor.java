package io.managedb.monitoring;

import io.managedb.backup.BackupCatalog;
import io.managedb.backup.BackupEntry;
import io.managedb.config.Config;
import io.managedb.config.Environment;
import io.managedb.config.Setting;
import io.managedb.fleet.Fleet;
import io.managedb.fleet.Outcome;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reports each environment's run to monitoring: pings (MANAGE_DB_NOTIFY_URL, {@code <NAME>_NOTIFY_URL}) when it
 * begins and ends, and the metrics textfile (MANAGE_DB_METRICS_FILE) once all have ended. Reporting never changes an
 * exit code: a failure is one line through {@code warn}.
 */
public final class Monitor<R> implements Fleet.Listener<R> {
    private final Config config;
    private final String command;
    private final Function<R, Long> size;
    private final BackupCatalog catalog;
    private final UnaryOperator<String> scrub;
    private final Consumer<String> warn;
    private final Pings pings;
    private final List<MetricsFile.Run> runs = new ArrayList<>();

    /**
     * @param command the operation's name in pings and metrics: backup, prune, verify
     * @param size    the bytes a result stands for (the backup written or verified, the backups kept)
     * @param scrub   removes known secrets from an error line
     * @param warn    receives one line per failed report
     */
    public Monitor(Config config, String command, Function<R, Long> size, BackupCatalog catalog,
                   UnaryOperator<String> scrub, Consumer<String> warn) {
        this.config = config;
        this.pings = new Pings(Optional.ofNullable(io.managedb.config.Durations.parse(
                Setting.NOTIFY_TIMEOUT.key(), config.get(Setting.NOTIFY_TIMEOUT))).orElse(Duration.ofSeconds(5)), warn);
        this.command = command;
        this.size = size;
        this.catalog = catalog;
        this.scrub = scrub;
        this.warn = warn;
    }

    @Override
    public void started(Environment env) {
        config.notifyUrl(env.name()).ifPresent(url -> pings.ping(url, Pings.Kind.START, body(env, null)));
    }

    @Override
    public void finished(Outcome<R> o) {
        Environment env = o.environment();
        config.notifyUrl(env.name()).ifPresent(url -> pings.ping(url, o.ok() ? Pings.Kind.SUCCESS : Pings.Kind.FAIL,
                body(env, o)));
        if (!config.get(Setting.METRICS_FILE).isEmpty()) {
            String db = env.target().database();
            List<BackupEntry> good = goodBackups(env);
            Optional<BackupEntry> newest = good.stream()
                    .filter(e -> !e.manifest().safety() && "full".equals(e.manifest().scope())).findFirst();
            Instant now = Instant.now();
            synchronized (runs) {
                runs.add(new MetricsFile.Run(command, env.name(), db, o.exitCode().code(), seconds(o.duration()),
                        bytes(o), o.ok() ? now.getEpochSecond() : null, good.size(),
                        newest.map(e -> Math.max(0, Duration.between(e.createdAt(), now).toSeconds())).orElse(null)));
            }
        }
    }

    /** Writes the metrics of every environment that has finished; call once, after the run. */
    public void writeMetrics() {
        String file = config.get(Setting.METRICS_FILE);
        if (file.isEmpty() || runs.isEmpty()) {
            return;
        }
        Path path = config.path(Setting.METRICS_FILE);
        try {
            synchronized (runs) {
                new MetricsFile(path).update(List.copyOf(runs));
            }
        } catch (RuntimeException e) {
            warn.accept("manage-db: metrics: " + scrub.apply(String.valueOf(e.getMessage())));
        }
    }

    private List<BackupEntry> goodBackups(Environment env) {
        try {
            return catalog.good(env.name(), env.target().database());
        } catch (RuntimeException e) {
            return List.of(); // an unreadable backup directory is the run's own error, not the metrics'
        }
    }

    private long bytes(Outcome<R> o) {
        Long n = o.result() == null ? null : size.apply(o.result());
        return n == null ? 0 : n;
    }

    private Map<String, Object> body(Environment env, Outcome<R> o) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", env.name());
        body.put("database", env.target().database());
        body.put("command", command);
        if (o != null) {
            body.put("exitCode", o.exitCode().code());
            body.put("durationSeconds", seconds(o.duration()));
            body.put("sizeBytes", bytes(o));
            body.put("error", o.errorMessage() == null ? null : scrub.apply(o.errorMessage()));
        }
        return body;
    }

    private static double seconds(Duration d) {
        return Math.round(d.toMillis()) / 1000.0;
    }
}
