package io.managedb.schedule;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.backup.PruneService;
import io.managedb.backup.RetentionPolicy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What a schedule runs: the launcher's absolute path, and checked words that every format can carry unquoted. */
public final class Launcher {
    /** No blank, quote, $, %, backslash, ; or the like: a shell, cron (%) and systemd (%, $) read those. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/+@,:=-]+");
    private static final List<String> KEEP = List.of("--keep-last", "--keep-daily", "--keep-weekly", "--keep-monthly");

    private Launcher() {
    }

    /**
     * How to run manage-db: {@code explicit} (a jar, run with this JVM's java, or an executable), else the jar this
     * code runs from, else {@code bin/manage-db} of the checkout it runs from.
     */
    public static List<String> command(Path explicit) {
        Path found = explicit != null ? explicit.toAbsolutePath().normalize() : detect();
        if (!Files.isRegularFile(found)) {
            throw ManageDbException.config("launcher not found: " + found);
        }
        String path = plain("the launcher", found);
        if (path.endsWith(".jar")) {
            return List.of(plain("java", Path.of(System.getProperty("java.home"), "bin", "java")), "-jar", path);
        }
        if (!Files.isExecutable(found)) {
            throw ManageDbException.config("launcher not executable: " + found);
        }
        return List.of(path);
    }

    private static Path detect() {
        try {
            Path source = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(source)) {
                return source;
            }
            // classes/ of a checkout (target/classes): its bin/manage-db
            Path launcher = source.toAbsolutePath().getParent().getParent().resolve("bin").resolve("manage-db");
            if (Files.isExecutable(launcher)) {
                return launcher;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // reported below
        }
        throw ManageDbException.config("cannot find the manage-db jar or launcher; give --launcher PATH");
    }

    /** The absolute path as text; a usage error when it holds a character the formats would read. */
    public static String plain(String what, Path path) {
        String s = path.toAbsolutePath().normalize().toString();
        if (!PLAIN.matcher(s).matches()) {
            throw new ManageDbException(ExitCode.USAGE, what + " " + s + ": the path has characters (blank, quote,"
                    + " $, %...) a scheduler would read; use a path of letters, digits and ._/+@,:=-");
        }
        return s;
    }

    /** {@code "--keep-daily 7 --keep-weekly 4"} as words, checked: only retention options, a policy that keeps. */
    public static List<String> pruneOptions(String options) {
        List<String> words = new ArrayList<>();
        Arrays.stream(options.strip().split("\\s+")).filter(w -> !w.isEmpty())
                .forEach(w -> words.addAll(w.startsWith("--") && w.contains("=") ? List.of(w.split("=", 2)) : List.of(w)));
        Map<String, Integer> keep = new java.util.HashMap<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--include-safety")) {
                out.add(w);
            } else if (KEEP.contains(w) && i + 1 < words.size() && words.get(i + 1).matches("\\d{1,6}")) {
                keep.put(w, Integer.parseInt(words.get(++i)));
                out.addAll(List.of(w, words.get(i)));
            } else {
                throw new ManageDbException(ExitCode.USAGE, "--prune: '" + w + "' is not a retention option (--keep-last"
                        + " N, --keep-daily N, --keep-weekly N, --keep-monthly N, --include-safety)");
            }
        }
        PruneService.validate(new RetentionPolicy(keep.getOrDefault(KEEP.get(0), 0), keep.getOrDefault(KEEP.get(1), 0),
                keep.getOrDefault(KEEP.get(2), 0), keep.getOrDefault(KEEP.get(3), 0), !keep.isEmpty()));
        return out;
    }
}
