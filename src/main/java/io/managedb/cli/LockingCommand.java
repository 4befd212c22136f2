package io.managedb.cli;

import io.managedb.cli.options.LockingTargetOptions;
import picocli.CommandLine.Mixin;

/** A command that changes one environment's database under its lock: {@code -e} and {@code --wait}. */
abstract class LockingCommand extends BaseCommand {
    @Mixin LockingTargetOptions target;
}
