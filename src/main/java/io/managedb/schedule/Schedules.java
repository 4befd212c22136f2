package io.managedb.schedule;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Ready-to-install schedules that run {@code backup}, then {@code backup prune}, quietly: a crontab line, a systemd
 * service and timer, a Kubernetes CronJob. Pure functions of a {@link Request}. Prune runs even when a backup failed
 * (it never deletes the newest good backup, and one unreachable environment must not stop the others' pruning); the
 * job's exit status is prune's failure, else backup's.
 */
public final class Schedules {
    /**
     * What to schedule.
     *
     * @param launcher     how to run manage-db: {@code [java, -jar, /abs/manage-db.jar]} or {@code [/abs/bin/manage-db]}
     * @param envFile      the absolute .env file
     * @param environments the environments; empty means {@code --all}
     * @param prune        the retention options, e.g. {@code [--keep-daily, 7, --keep-weekly, 4]}
     * @param timeZone     the time zone of {@code at}
     * @param zoneGiven    whether the zone was asked for (cron and systemd otherwise use the machine's)
     * @param user         the user systemd runs the job as
     * @param image        the container image for Kubernetes (holds the launcher at the same path)
     */
    public record Request(List<String> launcher, Path envFile, LocalTime at, List<String> environments,
                          List<String> prune, String timeZone, boolean zoneGiven, String user, String image) {
        public Request {
            launcher = List.copyOf(launcher);
            environments = List.copyOf(environments);
            prune = List.copyOf(prune);
        }
    }

    public static final String NAME = "manage-db-backup";

    private Schedules() {
    }

    /** The two manage-db command lines, as argument lists. */
    static List<List<String>> commands(Request r) {
        List<String> selection = r.environments().isEmpty() ? List.of("--all")
                : List.of("--env", String.join(",", r.environments()));
        List<String> backup = new ArrayList<>(r.launcher());
        backup.add("backup");
        backup.addAll(selection);
        backup.add("-q");
        List<String> prune = new ArrayList<>(r.launcher());
        prune.addAll(List.of("backup", "prune"));
        prune.addAll(selection);
        prune.addAll(r.prune());
        prune.add("-q");
        return List.of(backup, prune);
    }

    /**
     * The POSIX sh script: backup; prune; exit prune's failure, else backup's. Every word is a plain word (the
     * command checks paths for characters a shell, cron or systemd would read), so nothing is quoted.
     */
    static String script(Request r) {
        List<List<String>> c = commands(r);
        return String.join(" ", c.get(0)) + "; b=$?; " + String.join(" ", c.get(1)) + " || exit $?; exit $b";
    }

    public static String cron(Request r) {
        StringBuilder s = new StringBuilder();
        s.append("# manage-db: back up, then prune, ").append(what(r)).append(" at ").append(hhmm(r))
                .append(r.zoneGiven() ? " " + r.timeZone() : " (the cron daemon's time zone)").append('\n');
        if (r.zoneGiven()) {
            s.append("CRON_TZ=").append(r.timeZone()).append('\n');
        }
        s.append(r.at().getMinute()).append(' ').append(r.at().getHour()).append(" * * * export MANAGE_DB_ENV_FILE=")
                .append(r.envFile()).append("; ").append(script(r)).append('\n');
        return s.toString();
    }

    /** File name → content: {@code manage-db-backup.service} and {@code manage-db-backup.timer}. */
    public static Map<String, String> systemd(Request r) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(NAME + ".service", String.join("\n",
                "[Unit]",
                "Description=manage-db: back up, then prune, " + what(r),
                "Wants=network-online.target",
                "After=network-online.target",
                "",
                "[Service]",
                "Type=oneshot",
                "User=" + r.user(),
                "Environment=MANAGE_DB_ENV_FILE=" + r.envFile(),
                // systemd expands $ itself: $$ passes one to the shell
                "ExecStart=/bin/sh -c '" + script(r).replace("$", "$$") + "'",
                ""));
        files.put(NAME + ".timer", String.join("\n",
                "[Unit]",
                "Description=manage-db: nightly backup and prune",
                "",
                "[Timer]",
                "OnCalendar=*-*-* " + hhmm(r) + ":00" + (r.zoneGiven() ? " " + r.timeZone() : ""),
                "Persistent=true",
                "RandomizedDelaySec=10min",
                "Unit=" + NAME + ".service",
                "",
                "[Install]",
                "WantedBy=timers.target",
                ""));
        return files;
    }

    /** The systemd pair as one text, each file after a {@code # file: NAME} comment line. */
    public static String systemdText(Request r) {
        return systemd(r).entrySet().stream().map(e -> "# file: /etc/systemd/system/" + e.getKey() + "\n"
                + e.getValue()).collect(Collectors.joining("\n"));
    }

    /**
     * A CronJob: one run at a time, a missed run started within an hour, the schedule in {@code timeZone}; the
     * settings (the URLs with their passwords) come from a Secret made from the .env file, never inline.
     */
    public static String kubernetes(Request r) {
        String secret = "manage-db-env";
        List<String> y = new ArrayList<>();
        y.add("# kubectl create secret generic " + secret + " --from-env-file=" + r.envFile());
        y.add("# (kubectl reads KEY=value lines: no export prefix, no quotes)");
        y.add("apiVersion: batch/v1");
        y.add("kind: CronJob");
        y.add("metadata:");
        y.add("  name: " + NAME);
        y.add("spec:");
        y.add("  schedule: " + q(r.at().getMinute() + " " + r.at().getHour() + " * * *"));
        y.add("  timeZone: " + q(r.timeZone()));
        y.add("  concurrencyPolicy: Forbid");
        y.add("  startingDeadlineSeconds: 3600");
        y.add("  successfulJobsHistoryLimit: 3");
        y.add("  failedJobsHistoryLimit: 3");
        y.add("  jobTemplate:");
        y.add("    spec:");
        y.add("      backoffLimit: 0");
        y.add("      template:");
        y.add("        spec:");
        y.add("          restartPolicy: Never");
        y.add("          containers:");
        y.add("            - name: manage-db");
        y.add("              image: " + q(r.image()));
        y.add("              command: [" + q("/bin/sh") + ", " + q("-c") + ", " + q(script(r)) + "]");
        y.add("              envFrom:");
        y.add("                - secretRef:");
        y.add("                    name: " + secret);
        y.add("              env:");
        y.add("                - name: MANAGE_DB_BACKUP_DIR");
        y.add("                  value: " + q("/var/lib/manage-db/backups"));
        y.add("              volumeMounts:");
        y.add("                - name: backups");
        y.add("                  mountPath: /var/lib/manage-db/backups");
        y.add("          volumes:");
        y.add("            - name: backups");
        y.add("              persistentVolumeClaim:");
        y.add("                claimName: manage-db-backups");
        return String.join("\n", y) + "\n";
    }

    private static String hhmm(Request r) {
        return String.format(java.util.Locale.ROOT, "%02d:%02d", r.at().getHour(), r.at().getMinute());
    }

    private static String what(Request r) {
        return r.environments().isEmpty() ? "every environment" : String.join(", ", r.environments());
    }

    /** A double-quoted YAML scalar (JSON string syntax, which YAML reads the same). */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }
}
