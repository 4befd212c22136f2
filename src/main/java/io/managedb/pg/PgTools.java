package io.managedb.pg;

import io.managedb.core.Async;
import io.managedb.core.ManageDbException;
import io.managedb.config.Setting;
import io.managedb.config.Target;
import io.managedb.files.Trees;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Finds pg_dump, pg_restore and psql ({@code MANAGE_DB_PG_BIN}, else PATH, with Debian's pg_wrapper replaced by the
 * binary it would run, else the newest {@code /usr/lib/postgresql/*}{@code /bin}), reads their versions, and builds
 * the environment a child needs to connect to a target. Passwords reach children only through a temporary 0600
 * password file.
 */
public final class PgTools {
    private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE",
            "TZ", "TMPDIR", "SYSTEMROOT");

    private final Path pgBin;
    private final List<Path> pgBins;
    private final Map<String, String> processEnv;
    private final ProcessRunner runner;
    private final Path systemBinRoot = Path.of("/usr/lib/postgresql");
    private final Map<PgTool, ToolVersion> versions = new EnumMap<>(PgTool.class);
    private final Map<PgTool, Path> paths = new EnumMap<>(PgTool.class);
    private Boolean wrapped;

    /**
     * @param pgBin      the MANAGE_DB_PG_BIN directory, or null to search
     * @param processEnv the environment children inherit PATH, HOME and locale from
     */
    public PgTools(Path pgBin, Map<String, String> processEnv, ProcessRunner runner) {
        this(pgBin == null ? List.<Path>of() : List.of(pgBin), processEnv, runner);
    }

    /**
     * Tools chosen per server among several installed client versions (see {@link #forServer}).
     *
     * @param pgBins the MANAGE_DB_PG_BIN directories, or empty to search
     */
    public static PgTools choosingFrom(List<Path> pgBins, Map<String, String> processEnv, ProcessRunner runner) {
        return new PgTools(pgBins, processEnv, runner);
    }

    private PgTools(List<Path> pgBins, Map<String, String> processEnv, ProcessRunner runner) {
        this.pgBins = List.copyOf(pgBins);
        this.pgBin = pgBins.isEmpty() ? null : pgBins.get(0);
        this.processEnv = Map.copyOf(processEnv);
        this.runner = runner;
    }

    /**
     * The tools an operation on a server of this version uses: among the installed client versions (the
     * directories of MANAGE_DB_PG_BIN, else every {@code /usr/lib/postgresql/N/bin} and a real pg_dump on PATH), the
     * oldest whose major version is at least the server's (pg_dump cannot dump a newer server, and an older client
     * keeps closest to the server's own behaviour). Exit 3 when none is new enough, naming the server's version, the
     * clients installed and what to install.
     */
    public PgTools forServer(int serverVersionNum) {
        int major = serverVersionNum / 10000;
        List<Path> dirs = clientDirectories();
        if (dirs.size() <= 1) {
            requireCompatible(serverVersionNum, PgTool.PG_DUMP, PgTool.PG_RESTORE);
            return this;
        }
        List<CompletableFuture<ToolVersion>> read = dirs.stream().map(d -> CompletableFuture.supplyAsync(
                () -> new PgTools(d, processEnv, runner).version(PgTool.PG_DUMP))).toList();
        List<ToolVersion> installed = read.stream().map(Async::join).toList();
        ToolVersion chosen = installed.stream().filter(v -> v.major() >= major)
                .min(Comparator.comparingInt(ToolVersion::major)).orElseThrow(() -> ManageDbException.config(
                        "the server runs PostgreSQL " + major + " but the newest pg_dump installed is older: "
                                + String.join(", ", installed.stream().map(v -> v.version() + " ("
                                + v.path().getParent() + ")").toList()) + "; install the PostgreSQL " + major
                                + " client tools (Debian: postgresql-client-" + major + ") or add their bin directory"
                                + " to " + Setting.PG_BIN.key()));
        PgTools bound = new PgTools(chosen.path().getParent(), processEnv, runner);
        bound.versions.put(PgTool.PG_DUMP, chosen);
        bound.requireCompatible(serverVersionNum, PgTool.PG_DUMP, PgTool.PG_RESTORE);
        return bound;
    }

    /** Whether several client versions are installed, so that {@link #forServer} has a choice to make. */
    public boolean choosesPerServer() {
        return clientDirectories().size() > 1;
    }

    /** The installed client tool directories this instance chooses from (one when MANAGE_DB_PG_BIN names one). */
    private List<Path> clientDirectories() {
        if (!pgBins.isEmpty()) {
            return pgBins;
        }
        List<Path> dirs = new ArrayList<>();
        Path onPath = onPath(PgTool.PG_DUMP);
        if (onPath != null && !isDebianWrapper(onPath)) {
            dirs.add(onPath.getParent());
        }
        try (Stream<Path> system = Files.isDirectory(systemBinRoot) ? Files.list(systemBinRoot) : Stream.empty()) {
            system.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve(PgTool.PG_DUMP.program())))
                    .sorted().filter(d -> !dirs.contains(d)).forEach(dirs::add);
        } catch (IOException e) {
            throw ManageDbException.config("cannot list " + systemBinRoot + ": " + e.getMessage());
        }
        return dirs;
    }

    public ProcessRunner runner() {
        return runner;
    }

    /** The program's path; a clear configuration error when it cannot be found. */
    public synchronized Path path(PgTool tool) {
        Path found = paths.get(tool);
        if (found == null) {
            found = find(tool);
            paths.put(tool, found);
        }
        return found;
    }

    private Path find(PgTool tool) {
        if (pgBin != null) {
            Path p = pgBin.resolve(tool.program());
            if (!Files.isExecutable(p)) {
                throw ManageDbException.config(tool.program() + " not found in " + Setting.PG_BIN.key() + "=" + pgBin);
            }
            return p;
        }
        Path onPath = onPath(tool);
        if (onPath != null) {
            // Debian's pg_wrapper (a Perl script, ~0.1 s per call) runs the newest installed version of these
            // client tools when PGHOST is set, as it always is here: run that binary directly
            Path newest = isDebianWrapper(onPath) ? newestSystemTool(tool) : null;
            return newest != null ? newest : onPath;
        }
        Path newest = newestSystemTool(tool);
        if (newest == null) {
            throw ManageDbException.config(tool.program() + " not found on PATH or in " + systemBinRoot
                    + "/*/bin; install the PostgreSQL client tools or set " + Setting.PG_BIN.key());
        }
        return newest;
    }

    private Path onPath(PgTool tool) {
        for (String dir : processEnv.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool.program()))) {
                return Path.of(dir, tool.program());
            }
        }
        return null;
    }

    /** Whether PATH's tools are Debian's pg_wrapper, which {@link #path} bypasses. */
    private synchronized boolean bypassesWrapper() {
        if (wrapped == null) {
            Path p = pgBin == null ? onPath(PgTool.PG_DUMP) : null;
            wrapped = p != null && isDebianWrapper(p) && newestSystemTool(PgTool.PG_DUMP) != null;
        }
        return wrapped;
    }

    private static boolean isDebianWrapper(Path p) {
        try {
            return p.toRealPath().getFileName().toString().equals("pg_wrapper");
        } catch (IOException e) {
            return false;
        }
    }

    private Path newestSystemTool(PgTool tool) {
        try (Stream<Path> dirs = Files.isDirectory(systemBinRoot) ? Files.list(systemBinRoot) : Stream.empty()) {
            return dirs.map(d -> d.resolve("bin").resolve(tool.program())).filter(Files::isExecutable)
                    .max(Comparator.comparingInt(PgTools::majorOf)).orElse(null);
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
    public ToolVersion version(PgTool tool) {
        synchronized (versions) {
            ToolVersion known = versions.get(tool);
            if (known != null) {
                return known;
            }
        }
        Path path = path(tool);
        ProcessResult result = runner.runUnchecked(ProcessSpec.of(List.of(path.toString(), "--version"),
                baseEnvironment()).timeout(java.time.Duration.ofSeconds(30)));
        ToolVersion read = ToolVersion.parse(tool, path, result.stdout());
        if (result.exitCode() != 0 || read == null) {
            throw ManageDbException.config("cannot read the version of " + path + " (is it a PostgreSQL "
                    + tool.program() + "?)");
        }
        synchronized (versions) {
            return versions.computeIfAbsent(tool, t -> read);
        }
    }

    /**
     * Refuses, before anything is written, when pg_dump or pg_restore is older than the server: pg_dump cannot dump
     * a newer server.
     */
    public void requireCompatible(int serverVersionNum, PgTool... tools) {
        int serverMajor = serverVersionNum / 10000;
        // each version is read by starting the tool: start them all at once
        List<CompletableFuture<ToolVersion>> read = Arrays.stream(tools)
                .map(t -> CompletableFuture.supplyAsync(() -> version(t))).toList();
        for (int i = 0; i < tools.length; i++) {
            ToolVersion v = Async.join(read.get(i));
            if (v.major() < serverMajor) {
                throw ManageDbException.config(tools[i].program() + " " + v.version() + " (" + v.path()
                        + ") is older than the server (PostgreSQL " + serverMajor + "); install PostgreSQL "
                        + serverMajor + " client tools and point " + Setting.PG_BIN.key() + " at their bin directory");
            }
        }
    }

    /** Whether a tool of this version can work with a server of this version ({@code server_version_num}). */
    public static boolean compatible(ToolVersion tool, int serverVersionNum) {
        return tool.major() >= serverVersionNum / 10000;
    }

    /**
     * A new private (0700) directory under {@code $TMPDIR} (else {@code java.io.tmpdir}), removed if the JVM is
     * stopped; the caller removes it when done.
     */
    public Path temporaryDirectory(String prefix) throws IOException {
        Path dir = Trees.privateTemporaryDirectory(Trees.temporaryRoot(processEnv), prefix);
        runner.deleteOnAbort(dir);
        return dir;
    }

    /** The environment for a child connecting to {@code target}; close it to delete its password file. */
    public ChildEnvironment environment(Target target) {
        Map<String, String> env = baseEnvironment();
        env.putAll(target.libpqEnvironment());
        Path passFile = null;
        if (target.password() != null) {
            try {
                passFile = Files.createTempFile(Trees.temporaryRoot(processEnv), "manage-db-", ".pgpass",
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
        if (!processEnv.containsKey("PGSYSCONFDIR") && bypassesWrapper()) {
            env.put("PGSYSCONFDIR", "/etc/postgresql-common"); // as pg_wrapper sets it (pg_service.conf)
        }
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
