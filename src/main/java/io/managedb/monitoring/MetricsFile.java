package io.managedb.monitoring;

import io.managedb.core.ManageDbException;
import io.managedb.files.PrivateFiles;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus node_exporter textfile ({@code *.prom}) holding each (command, environment, database)'s last run.
 * An update reads the file, replaces the lines of the series it updates, keeps everyone else's, and replaces the file
 * atomically (temp file, fsync, rename) under a lock, so that concurrent runs for other environments lose nothing.
 * The file is 0644: node_exporter usually runs as another user, and it holds no secret.
 */
public final class MetricsFile {
    /** One run's facts; null values are left out. */
    public record Run(String command, String environment, String database, int exitCode, double durationSeconds,
                      long sizeBytes, Long successEpochSeconds, int goodBackups, Long newestBackupAgeSeconds) {
    }

    static final String LAST_SUCCESS = "manage_db_last_success_timestamp_seconds";
    static final String EXIT_CODE = "manage_db_last_exit_code";
    static final String DURATION = "manage_db_last_duration_seconds";
    static final String SIZE = "manage_db_last_size_bytes";
    static final String GOOD = "manage_db_good_backups";
    static final String AGE = "manage_db_newest_backup_age_seconds";

    /** Name → help, in the order written. */
    private static final Map<String, String> HELP = help();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?$");

    private final Path file;

    public MetricsFile(Path file) {
        this.file = file;
    }

    private static Map<String, String> help() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(LAST_SUCCESS, "Unix time of the last successful run (0: none yet).");
        h.put(EXIT_CODE, "Exit code of the last run (0: success; see manage-db --help).");
        h.put(DURATION, "Duration of the last run in seconds.");
        h.put(SIZE, "Bytes: the backup written (backup), verified (verify) or the good backups kept (prune); 0 on"
                + " failure.");
        h.put(GOOD, "Good (complete, manifested) backups of the database after the last run.");
        h.put(AGE, "Age in seconds of the newest good full backup after the last run (absent: none).");
        return h;
    }

    /** Writes these runs' lines, keeping every other series; each run's last success carries over a failure. */
    public void update(List<Run> runs) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path lockFile = dir.resolve("." + file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
                PrivateFiles.writeAtomically(file, render(text, runs).getBytes(StandardCharsets.UTF_8),
                        PrivateFiles.Mode.WORLD_READABLE);
            }
        } catch (IOException e) {
            throw ManageDbException.failed("cannot write the metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The new file's text: {@code old} with the series of {@code runs} replaced. */
    static String render(String old, List<Run> runs) {
        Map<String, TreeMap<String, String>> samples = new LinkedHashMap<>();
        HELP.keySet().forEach(name -> samples.put(name, new TreeMap<>()));
        List<String> foreign = new ArrayList<>();
        for (String line : old.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (line.isBlank() || line.startsWith("#") && HELP.keySet().stream().anyMatch(n -> line.matches(
                    "# (HELP|TYPE) " + n + " .*"))) {
                continue;
            }
            if (m.matches() && samples.containsKey(m.group(1))) {
                samples.get(m.group(1)).put(m.group(3) == null ? "" : m.group(3), m.group(4));
            } else {
                foreign.add(line);
            }
        }
        for (Run r : runs) {
            String labels = labels(r.command(), r.environment(), r.database());
            String previousSuccess = samples.get(LAST_SUCCESS).get(labels);
            samples.values().forEach(s -> s.remove(labels));
            samples.get(LAST_SUCCESS).put(labels, r.successEpochSeconds() != null
                    ? Long.toString(r.successEpochSeconds()) : previousSuccess != null ? previousSuccess : "0");
            samples.get(EXIT_CODE).put(labels, Integer.toString(r.exitCode()));
            samples.get(DURATION).put(labels, BigDecimal.valueOf(r.durationSeconds()).setScale(3, RoundingMode.HALF_UP)
                    .toPlainString());
            samples.get(SIZE).put(labels, Long.toString(r.sizeBytes()));
            samples.get(GOOD).put(labels, Integer.toString(r.goodBackups()));
            if (r.newestBackupAgeSeconds() != null) {
                samples.get(AGE).put(labels, Long.toString(r.newestBackupAgeSeconds()));
            }
        }
        StringBuilder out = new StringBuilder();
        samples.forEach((name, series) -> {
            out.append("# HELP ").append(name).append(' ').append(HELP.get(name)).append('\n');
            out.append("# TYPE ").append(name).append(" gauge\n");
            series.forEach((labels, value) -> out.append(name).append(labels.isEmpty() ? "" : "{" + labels + "}")
                    .append(' ').append(value).append('\n'));
        });
        foreign.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    static String labels(String command, String environment, String database) {
        return "command=\"" + escape(command) + "\",environment=\"" + escape(environment) + "\",database=\""
                + escape(database) + "\"";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
