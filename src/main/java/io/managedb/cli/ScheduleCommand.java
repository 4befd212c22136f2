package io.managedb.cli;

import picocli.CommandLine.Command;

@Command(name = "schedule", description = "Write the schedule that runs manage-db for you (cron, systemd, Kubernetes).",
        subcommands = SchedulePrintCommand.class)
final class ScheduleCommand extends GroupCommand {
}
