package io.managedb.cli;

import io.managedb.cli.options.TargetOptions;
import picocli.CommandLine.Mixin;

/** A command on one environment's database, named with {@code -e}, that takes no lock. */
abstract class TargetCommand extends BaseCommand {
    @Mixin TargetOptions target;
}
