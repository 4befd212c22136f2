package io.managedb.cli;

import io.managedb.config.Environment;
import io.managedb.config.Setting;
import io.managedb.doctor.DoctorCheck;
import io.managedb.doctor.DoctorReport;
import io.managedb.doctor.DoctorResult;
import io.managedb.doctor.DoctorService;
import io.managedb.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "doctor", description = "Prove every building block on an environment, changing nothing in it.")
final class DoctorCommand extends TargetCommand {
    @Option(names = "--all", description = "Check every configured environment.") boolean all;

    @Option(names = "--quick", description = "Skip the checks that move data (backup, verify, drill, copy).")
    boolean quick;

    @Override
    public Integer call() {
        var maxAge = Durations.parse(Setting.MAX_BACKUP_AGE.key(), config().get(Setting.MAX_BACKUP_AGE));
        List<Environment> envs = all ? List.copyOf(config().environments().values())
                : List.of(config().environment(target.env));
        Session s = session();
        DoctorResult result = new DoctorService(s.tools(), Services.backup(s), Services.migrate(s),
                Services.triggers(s), Services.catalog(s), maxAge).run(envs, quick);
        Output output = output();
        if (output.quiet() && !output.json() && !result.ok()) {
            result.environments().stream().filter(r -> !r.ok())
                    .forEach(r -> output.err().println("manage-db: " + r.summary()));
            output.err().flush();
            return result.exitCode().code();
        }
        return output.result(result, result.exitCode(), text -> result.environments().forEach(r -> render(text, r)));
    }

    private static void render(Text text, DoctorReport r) {
        text.line(text.bold("doctor " + r.environment()) + "  " + r.target());
        int width = r.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (DoctorCheck c : r.checks()) {
            String name = c.name() + " ".repeat(width - c.name().length());
            if (c.skipped()) {
                text.line(text.warn("–") + " " + name + "  skipped: " + c.detail());
            } else {
                text.line((c.ok() ? text.ok("✓") : text.bad("✗")) + " " + name + String.format("%8s", c.millis()
                        + " ms") + "  " + (c.ok() ? c.detail() : text.bad(c.detail())));
            }
        }
        text.line(r.ok() ? text.ok(r.summary()) : text.bad(r.summary()));
    }
}
