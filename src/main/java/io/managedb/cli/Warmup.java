package io.managedb.cli;

import io.managedb.files.Trees;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The build's training run for the class-data archive that {@code bin/manage-db} starts the JVM with
 * ({@code target/manage-db.jsa}, dumped from the classes this run loads): loads the classes most commands load (every
 * command's picocli model, the configuration, the catalog, JSON output, a connection attempt and its error) by
 * running harmless commands in this process, against a private temporary directory and a closed port. Nothing outside
 * that directory is read or written but the file named by the argument, and what the commands print is thrown away.
 * That file says which JVM and jar the archive is for (the JVM's home, the class path and the JVM's build, one per
 * line), so that the launcher passes the archive only to them: the JVM would refuse it anyway, but then start without
 * the JDK's own.
 */
public final class Warmup {
    private Warmup() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1) {
            Files.writeString(Path.of(args[0]), System.getProperty("java.home") + "\n"
                    + System.getProperty("java.class.path") + "\n" + System.getProperty("java.runtime.version") + "\n");
        }
        Invocation.commandLine();
        loadClasses();
        Path dir = Files.createTempDirectory("manage-db-warmup");
        try {
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            Map<String, String> env = Map.of("HOME", dir.toString(), "XDG_CACHE_HOME", dir.resolve("cache").toString(),
                    "MANAGE_DB_BACKUP_DIR", dir.resolve("backups").toString(), "TMPDIR", dir.toString(),
                    "TEST_DATABASE_URL", "postgresql://warmup:secret@127.0.0.1:" + closedPort + "/warmup");
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            for (List<String> command : List.of(List.of("env", "list"), List.of("env", "list", "--json"),
                    List.of("backup", "list", "--all"), List.of("backup", "list", "-e", "test", "--json"),
                    List.of("backup", "prune", "-e", "test", "--keep-daily", "7", "--dry-run"),
                    List.of("check", "-e", "test"), List.of("restore", "latest", "-e", "test", "-y"))) {
                Cli.execute(Context.of(env, dir), nowhere, nowhere, command.toArray(String[]::new));
            }
        } finally {
            Trees.deleteRecursively(dir);
        }
    }

    /** Packages whose every class is loaded (not initialised), for what the commands above cannot reach here. */
    private static final List<String> PACKAGES = List.of("io/managedb/", "picocli/", "org/postgresql/",
            "com/zaxxer/hikari/");

    /**
     * Loads, without initialising, every class of {@link #PACKAGES} in the jar: the server protocol's classes, which
     * a connection to a closed port never reaches, and manage-db's own.
     */
    private static void loadClasses() throws IOException {
        String jar = System.getProperty("java.class.path");
        if (!jar.endsWith(".jar")) {
            return;
        }
        ClassLoader loader = Warmup.class.getClassLoader();
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
            for (var entries = file.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")
                        && PACKAGES.stream().anyMatch(name::startsWith)) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // a class for an optional library that is not in the jar: not needed
                    }
                }
            }
        }
    }
}
