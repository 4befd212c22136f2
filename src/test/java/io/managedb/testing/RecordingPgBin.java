package io.managedb.testing;

import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory to set as {@code MANAGE_DB_PG_BIN}: pg_dump, pg_restore and psql shell scripts that record each call
 * (its argv, its whole environment, and whether the file PGPASSFILE names exists at that moment) into a log
 * directory, then {@code exec} the real tool with the same arguments and environment.
 */
public final class RecordingPgBin {
    /** One recorded child. */
    public record Call(String tool, List<String> argv, Map<String, String> environment, boolean passFileExisted) {
        public String passFile() {
            return environment.get("PGPASSFILE");
        }
    }

    private final Path bin;
    private final Path log;

    private RecordingPgBin(Path bin, Path log) {
        this.bin = bin;
        this.log = log;
    }

    /** Creates the wrappers under {@code parent}, around the tools manage-db would find on {@code path}. */
    public static RecordingPgBin create(Path parent, String path) {
        try (ProcessRunner runner = new ProcessRunner()) {
            PgTools real = new PgTools(null, Map.of("PATH", path), runner);
            Path bin = Files.createDirectory(parent.resolve("recording-bin"));
            Path log = Files.createDirectory(parent.resolve("recording-log"));
            for (PgTool tool : PgTool.values()) {
                Path script = bin.resolve(tool.program());
                Files.writeString(script, script(real.path(tool), log, tool.program()));
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            }
            return new RecordingPgBin(bin, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String script(Path realTool, Path log, String name) {
        return "#!/bin/sh\n"
                + "f=$(mktemp " + quote(log + "/" + name + "-XXXXXXXX")  + ") || exit 70\n"
                + "printf '%s\\0' \"$@\" > \"$f.argv\"\n"
                + "env -0 > \"$f.env\"\n"
                + "if [ -n \"$PGPASSFILE\" ] && [ -e \"$PGPASSFILE\" ]; then echo present; else echo absent; fi"
                + " > \"$f.passfile\"\n"
                + "mv \"$f\" \"$f.done\"\n"
                + "exec " + quote(realTool.toString()) + " \"$@\"\n";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The directory for MANAGE_DB_PG_BIN. */
    public Path bin() {
        return bin;
    }

    /** Every call recorded so far, in no particular order. */
    public List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(log)) {
            for (Path done : files.filter(p -> p.toString().endsWith(".done")).toList()) {
                String base = done.toString().substring(0, done.toString().length() - ".done".length());
                String name = done.getFileName().toString();
                calls.add(new Call(name.substring(0, name.lastIndexOf('-')), split(Path.of(base + ".argv")),
                        environment(Path.of(base + ".env")),
                        Files.readString(Path.of(base + ".passfile")).strip().equals("present")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    /** Forgets the calls recorded so far. */
    public void clear() {
        try (Stream<Path> files = Files.list(log)) {
            files.forEach(io.managedb.files.Trees::deleteRecursively);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> split(Path nulSeparated) throws IOException {
        String text = Files.readString(nulSeparated, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }

    private static Map<String, String> environment(Path nulSeparated) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : split(nulSeparated)) {
            int eq = entry.indexOf('=');
            env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        }
        return env;
    }
}
