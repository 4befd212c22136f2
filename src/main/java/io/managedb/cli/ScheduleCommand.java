package io.managedb.cli;

import picocli.CommandLine.Command;

@Command(name = "schedule", description = "Write the schedule that runs manage-db for you (cron, systemd, Kubernetes).")
final class ScheduleCommand extends GroupCommand {
}
