package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.cli.options.EnvironmentSelection;
import io.managedb.config.Environment;
import io.managedb.fleet.Fleet;
import io.managedb.fleet.Outcome;
import io.managedb.monitoring.Monitor;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs a command's work on the selected environments, reports each to monitoring, and renders: one environment as
 * the command always has (its failure is the command's error), several as one line (or JSON object) each, exit code
 * the worst among them.
 */
final class FleetRunner<R> {
    private final BaseCommand command;
    private final String name;
    private Function<R, ExitCode> exitCode = r -> ExitCode.OK;
    private Function<R, Long> size = r -> null;

    FleetRunner(BaseCommand command, String name) {
        this.command = command;
        this.name = name;
    }

    FleetRunner<R> exitCode(Function<R, ExitCode> exitCode) {
        this.exitCode = exitCode;
        return this;
    }

    FleetRunner<R> size(Function<R, Long> size) {
        this.size = size;
        return this;
    }

    /**
     * @param single  one environment's text report
     * @param summary one environment's result in one line, for a fleet
     */
    int run(EnvironmentSelection selection, Function<Environment, R> work, BiConsumer<Text, R> single,
            Function<R, String> summary) {
        Session session = command.session();
        List<Environment> envs = selection.select(command.config());
        Output out = command.output();
        ErrorHandler scrubber = new ErrorHandler(session);
        PrintWriter err = out.err();
        Monitor<R> monitor = new Monitor<>(command.config(), name, size, Services.catalog(session), scrubber::scrub,
                line -> {
                    synchronized (err) {
                        err.println(line);
                        err.flush();
                    }
                });
        List<Outcome<R>> outcomes = Fleet.run(envs, selection.parallel, work, exitCode, monitor);
        monitor.writeMetrics();
        if (!selection.fleet()) {
            Outcome<R> o = outcomes.get(0);
            if (o.error() != null) {
                throw o.error();
            }
            return out.result(o.result(), o.exitCode(), text -> single.accept(text, o.result()));
        }
        ExitCode worst = Fleet.worst(outcomes.stream().map(Outcome::exitCode).toList());
        if (out.quiet() && !out.json()) {
            outcomes.stream().filter(o -> !o.ok()).forEach(o -> err.println("manage-db: " + o.environment().name()
                    + ": " + line(o, summary, scrubber)));
            err.flush();
            return worst.code();
        }
        int width = envs.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        return out.result(document(outcomes, worst, scrubber), worst, text -> outcomes.forEach(o -> text.line(
                String.format(Locale.ROOT, "%-" + width + "s  %s  %s", o.environment().name(),
                        o.ok() ? text.ok("ok    ") : text.bad(String.format(Locale.ROOT, "exit %-2d", o.exitCode().code())),
                        line(o, summary, scrubber)))));
    }

    private String line(Outcome<R> o, Function<R, String> summary, ErrorHandler scrubber) {
        return o.error() != null ? scrubber.scrub(o.errorMessage()) : summary.apply(o.result());
    }

    private Map<String, Object> document(List<Outcome<R>> outcomes, ExitCode worst, ErrorHandler scrubber) {
        List<Map<String, Object>> environments = new ArrayList<>();
        for (Outcome<R> o : outcomes) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("environment", o.environment().name());
            e.put("database", o.environment().target().database());
            e.put("exitCode", o.exitCode().code());
            e.put("exitReason", reason(o.exitCode()));
            e.put("durationSeconds", o.duration().toMillis() / 1000.0);
            if (o.error() != null) {
                e.put("error", scrubber.scrub(o.errorMessage()));
            } else {
                e.put("result", o.result());
            }
            environments.add(e);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", name);
        doc.put("environments", environments);
        doc.put("exitCode", worst.code());
        doc.put("exitReason", reason(worst));
        return doc;
    }

    private static String reason(ExitCode code) {
        return code.name().toLowerCase(Locale.ROOT);
    }
}
