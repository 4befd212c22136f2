package io.managedb.pg;

import io.managedb.ManageDbException;
import io.managedb.config.Setting;
import io.managedb.config.Target;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds pg_dump, pg_restore and psql ({@code MANAGE_DB_PG_BIN}, else PATH, else the newest
 * {@code /usr/lib/postgresql/*}{@code /bin}), reads their versions, and builds the environment a child needs to
 * connect to a target. Passwords reach children only through a temporary 0600 password file.
 */
public final class PgTools {
    private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE",
            "TZ", "TMPDIR", "SYSTEMROOT");

    private final Path pgBin;
    private final Map<String, String> processEnv;
    private final ProcessRunner runner;
    private final Path systemBinRoot = Path.of("/usr/lib/postgresql");
    private final Map<PgTool, ToolVersion> versions = new EnumMap<>(PgTool.class);

    /**
     * @param pgBin      the MANAGE_DB_PG_BIN directory, or null to search
     * @param processEnv the environment children inherit PATH, HOME and locale from
     */
    public PgTools(Path pgBin, Map<String, String> processEnv, ProcessRunner runner) {
        this.pgBin = pgBin;
        this.processEnv = Map.copyOf(processEnv);
        this.runner = runner;
    }

    public ProcessRunner runner() {
        return runner;
    }

    /** The program's path; a clear configuration error when it cannot be found. */
    public Path path(PgTool tool) {
        if (pgBin != null) {
            Path p = pgBin.resolve(tool.program());
            if (!Files.isExecutable(p)) {
                throw ManageDbException.config(tool.program() + " not found in " + Setting.PG_BIN.key() + "=" + pgBin);
            }
            return p;
        }
        for (String dir : processEnv.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool.program()))) {
                return Path.of(dir, tool.program());
            }
        }
        try (Stream<Path> dirs = Files.isDirectory(systemBinRoot) ? Files.list(systemBinRoot) : Stream.empty()) {
            return dirs.map(d -> d.resolve("bin").resolve(tool.program())).filter(Files::isExecutable)
                    .max(Comparator.comparingInt(PgTools::majorOf))
                    .orElseThrow(() -> ManageDbException.config(tool.program()
                            + " not found on PATH or in " + systemBinRoot + "/*/bin; install the PostgreSQL client tools"
                            + " or set " + Setting.PG_BIN.key()));
        } catch (IOException e) {
            throw ManageDbException.config("cannot list " + systemBinRoot + ": " + e.getMessage());
        }
    }

    private static int majorOf(Path toolPath) {
        try {
            return Integer.parseInt(toolPath.getParent().getParent().getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The tool's version, read once from {@code --version}. */
    public synchronized ToolVersion version(PgTool tool) {
        ToolVersion known = versions.get(tool);
        if (known == null) {
            Path path = path(tool);
            ProcessResult result = runner.runUnchecked(ProcessSpec.of(List.of(path.toString(), "--version"),
                    baseEnvironment()).timeout(java.time.Duration.ofSeconds(30)));
            known = ToolVersion.parse(tool, path, result.stdout());
            if (result.exitCode() != 0 || known == null) {
                throw ManageDbException.config("cannot read the version of " + path + " (is it a PostgreSQL "
                        + tool.program() + "?)");
            }
            versions.put(tool, known);
        }
        return known;
    }

    /**
     * Refuses, before anything is written, when pg_dump or pg_restore is older than the server: pg_dump cannot dump
     * a newer server.
     */
    public void requireCompatible(int serverVersionNum, PgTool... tools) {
        int serverMajor = serverVersionNum / 10000;
        for (PgTool tool : tools) {
            ToolVersion v = version(tool);
            if (v.major() < serverMajor) {
                throw ManageDbException.config(tool.program() + " " + v.version() + " (" + v.path()
                        + ") is older than the server (PostgreSQL " + serverMajor + "); install PostgreSQL "
                        + serverMajor + " client tools and point " + Setting.PG_BIN.key() + " at their bin directory");
            }
        }
    }

    /** Whether a tool of this version can work with a server of this version ({@code server_version_num}). */
    public static boolean compatible(ToolVersion tool, int serverVersionNum) {
        return tool.major() >= serverVersionNum / 10000;
    }

    /** The environment for a child connecting to {@code target}; close it to delete its password file. */
    public ChildEnvironment environment(Target target) {
        Map<String, String> env = baseEnvironment();
        env.putAll(target.libpqEnvironment());
        Path passFile = null;
        if (target.password() != null) {
            try {
                passFile = Files.createTempFile("manage-db-", ".pgpass",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                runner.deleteOnAbort(passFile);
                Files.writeString(passFile, "*:*:*:*:" + target.password().replace("\\", "\\\\").replace(":", "\\:")
                        + "\n");
            } catch (IOException e) {
                throw ManageDbException.failed("cannot create a temporary password file: " + e.getMessage(), e);
            }
            env.put("PGPASSFILE", passFile.toString());
        }
        return new ChildEnvironment(env, passFile, runner);
    }

    /** The environment for a child that connects nowhere (e.g. pg_restore --list). */
    public Map<String, String> localEnvironment() {
        return baseEnvironment();
    }

    private Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : INHERITED) {
            if (processEnv.containsKey(key)) {
                env.put(key, processEnv.get(key));
            }
        }
        // pg tools' messages are parsed for progress: keep them in English
        env.put("LC_MESSAGES", "C");
        return env;
    }

    /** Argument list helper: the program path followed by arguments. */
    public List<String> command(PgTool tool, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(path(tool).toString());
        command.add("--no-password");
        command.addAll(args);
        return command;
    }
}
