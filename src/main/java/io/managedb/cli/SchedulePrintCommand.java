package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.schedule.Launcher;
import io.managedb.schedule.Schedules;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "print", description = "Print a ready-to-install schedule: backup, then prune, quietly.")
final class SchedulePrintCommand extends BaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1") Format format;

    static final class Format {
        @Option(names = "--cron", description = "A crontab line.") boolean cron;

        @Option(names = "--systemd", description = "A systemd .service and .timer pair.") boolean systemd;

        @Option(names = "--k8s", description = "A Kubernetes CronJob (settings from a Secret).") boolean k8s;
    }

    @Option(names = "--at", paramLabel = "HH:MM", defaultValue = "02:00", description = "When, every day.") String at;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV[,ENV...]", split = ",",
            description = "The environments (default: --all, every one configured when the job runs).")
    List<String> envs = new ArrayList<>();

    @Option(names = "--prune", paramLabel = "OPTIONS", defaultValue = "--keep-daily 7 --keep-weekly 4",
            description = "backup prune's retention options.") String prune;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "The zone of --at (default: the machine's).")
    String zone;

    @Option(names = "--launcher", paramLabel = "PATH", description = "The jar or launcher to run (default: this one).")
    Path launcher;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "manage-db:latest",
            description = "--k8s: the image (holding the launcher at the same path).") String image;

    @Override
    public Integer call() {
        Path envFile = config().envFile();
        if (envFile == null) {
            throw ManageDbException.config("no .env file to schedule with: give --env-file FILE or MANAGE_DB_ENV_FILE");
        }
        List<String> names = envs.stream().map(e -> config().environment(e).name()).distinct().toList();
        Schedules.Request request = new Schedules.Request(Launcher.command(launcher == null ? null
                : session().workDir().resolve(launcher)), Path.of(Launcher.plain("the .env file", envFile)), time(),
                names, Launcher.pruneOptions(prune), zoneId(), zone != null, System.getProperty("user.name"), image);
        String text = format.cron ? Schedules.cron(request) : format.systemd ? Schedules.systemdText(request)
                : Schedules.kubernetes(request);
        return output().result(Map.of("format", format.cron ? "cron" : format.systemd ? "systemd" : "k8s",
                "text", text), t -> text.lines().forEach(t::line));
    }

    private LocalTime time() {
        try {
            return LocalTime.parse(at.strip().length() == 4 ? "0" + at.strip() : at.strip());
        } catch (DateTimeParseException e) {
            throw new ManageDbException(ExitCode.USAGE, "--at " + at + ": expected HH:MM, e.g. 02:00");
        }
    }

    private String zoneId() {
        try {
            ZoneId id = zone == null ? ZoneId.systemDefault() : ZoneId.of(zone.strip());
            String name = id.normalized().getId();
            return name.equals("Z") ? "Etc/UTC" : name;
        } catch (java.time.DateTimeException e) {
            throw new ManageDbException(ExitCode.USAGE, "--time-zone " + zone + ": not a time zone (e.g."
                    + " Europe/Berlin)");
        }
    }
}
