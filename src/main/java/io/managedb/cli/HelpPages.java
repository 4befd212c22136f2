package io.managedb.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The help of every command, rendered by picocli once, at build time ({@link #main}, run by Maven after compiling),
 * and printed as it is when a user asks for it: {@code [COMMAND...] --help}, {@code -h} or {@code help [COMMAND...]}.
 * Building picocli's model of a command costs several times a JVM's start; help is text that only a build changes.
 * Anything else (a help request among other options, or a page that is missing) goes to picocli, which renders the
 * same text (a test compares every page with picocli's rendering).
 */
public final class HelpPages {
    private static final String DIRECTORY = "/help/";

    private HelpPages() {
    }

    /** The pre-rendered help these arguments ask for, or null when they ask for something else. */
    static String lookup(String[] args) {
        List<String> path = path(args);
        if (path == null) {
            return null;
        }
        // no lambdas or streams on this path: bootstrapping the first one costs more than reading the page
        try (InputStream in = HelpPages.class.getResourceAsStream(resource(path))) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** The command path of a plain help request ({@code a b --help}, {@code a b -h}, {@code help a b}), or null. */
    static List<String> path(String[] args) {
        List<String> words;
        if (args.length > 0 && (args[args.length - 1].equals("--help") || args[args.length - 1].equals("-h"))) {
            words = Arrays.asList(args).subList(0, args.length - 1);
        } else if (args.length > 0 && args[0].equals("help")) {
            words = Arrays.asList(args).subList(1, args.length);
        } else {
            return null;
        }
        for (String word : words) {
            for (int i = 0; i < word.length(); i++) {
                if (word.charAt(i) < 'a' || word.charAt(i) > 'z') {
                    return null;
                }
            }
        }
        return words;
    }

    private static String resource(List<String> path) {
        // concat, not +: the first indy string concatenation bootstraps a dozen classes
        return DIRECTORY.concat(path.isEmpty() ? "manage-db" : String.join(".", path)).concat(".txt");
    }

    /** picocli's rendering of a command's help, as {@code PATH --help} prints it. */
    static String render(List<String> path) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        int code = Invocation.run(Context.of(Map.of(), Path.of(".")), new PrintWriter(out), new PrintWriter(err),
                args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed with exit " + code + ": " + err);
        }
        return out.toString();
    }

    /** Every command path with its own help: the root, each command and each subcommand ({@code help} too). */
    static List<List<String>> paths() {
        List<List<String>> all = new ArrayList<>();
        collect(Invocation.commandLine(), new ArrayList<>(), all);
        return all;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> all) {
        all.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) {
                path.add(name);
                collect(sub, path, all);
                path.remove(path.size() - 1);
            }
        });
    }

    /** Writes every page into the directory {@code args[0]} (the classes' {@code help/}). */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        try {
            Files.createDirectories(dir);
            for (List<String> path : paths()) {
                Files.writeString(dir.resolve(resource(path).substring(DIRECTORY.length())), render(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
