package io.managedb.cli;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns failures into one clear line on stderr and a distinct exit code; the stack trace only with --verbose.
 * Every known password is scrubbed from what is printed.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final Session session;

    ErrorHandler(Session session) {
        this.session = session;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = scrub(oneLine(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-") && !cl.getSubcommands().isEmpty()) {
            message = "unknown command '" + scrub(u.getUnmatched().get(0)) + "'";
        }
        List<String> suggestions = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions()
                : List.of();
        String suggestion = suggestions.isEmpty() ? "" : " (did you mean " + suggestions.get(0) + "?)";
        err.println("manage-db: " + message + suggestion);
        if (!Arrays.asList(args).contains("-q") && !Arrays.asList(args).contains("--quiet")) {
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        err.flush();
        // the option may not have been parsed when parsing failed: --json anywhere on the line counts
        if (Arrays.asList(args).contains("--json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("error", message + suggestion);
            doc.put("exitCode", ExitCode.USAGE.code());
            doc.put("exitReason", "usage");
            cl.getOut().println(Json.write(doc));
            cl.getOut().flush();
        }
        return ExitCode.USAGE.code();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        ExitCode code = ex instanceof ManageDbException m ? m.exitCode() : ExitCode.FAILED;
        String message = ex instanceof ManageDbException ? ex.getMessage() : describe(ex);
        java.util.Optional<String> signal = io.managedb.pg.Signals.received();
        if (signal.isPresent()) {
            // whatever failed did so because the signal stopped it: say that, not "pg_restore failed"
            code = signal.get().equals("SIGINT") ? ExitCode.INTERRUPTED : ExitCode.TERMINATED;
            message = "manage-db was interrupted (" + signal.get() + "); the operation was stopped and its"
                    + " temporary files and scratch databases removed";
        }
        PrintWriter err = cl.getErr();
        err.println("manage-db: error: " + scrub(oneLine(message)));
        RootCommand root = session.options();
        if (root.verbose) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.print(scrub(trace.toString()));
        }
        err.flush();
        if (root.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("error", scrub(oneLine(message)));
            doc.put("exitCode", code.code());
            doc.put("exitReason", code.name().toLowerCase(java.util.Locale.ROOT));
            if (ex instanceof ManageDbException m) {
                m.details().forEach((key, value) -> doc.putIfAbsent(key, scrubValue(value)));
            }
            cl.getOut().println(Json.write(doc));
            cl.getOut().flush();
        }
        return code.code();
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        return ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private Object scrubValue(Object value) {
        if (value instanceof String s) {
            return scrub(s);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::scrubValue).toList();
        }
        return value;
    }

    String scrub(String text) {
        String result = text;
        for (String secret : session.secrets()) {
            result = result.replace(secret, "***");
        }
        return result;
    }
}
