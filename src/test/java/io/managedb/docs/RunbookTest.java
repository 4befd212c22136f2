package io.managedb.docs;

import io.managedb.testing.Datasets;
import io.managedb.testing.Jvm;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every {@code sh} block of docs/runbooks.md verbatim, in order, against the test server: a line starting with
 * {@code manage-db } runs manage-db in-process (split as a shell would, variables expanded), any other line runs in
 * bash with the same environment; {@code name=$(...)} lines set a variable for the lines after them. Each line must
 * exit 0 or the status its {@code # exit N} comment says. Before each section the incident it handles is staged.
 */
class RunbookTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    private static final Path RUNBOOK = Path.of("docs/runbooks.md");
    private static final Pattern EXIT = Pattern.compile("#\\s*exit\\s+(\\d+)\\s*(?::.*)?$");
    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=.*");

    private final Map<String, String> vars = new HashMap<>();
    private final StringBuilder transcript = new StringBuilder();
    private Connection stuckLock;

    @Test
    void everyCommandOfTheRunbookWorksAsWritten() throws Exception {
        Map<String, List<String>> sections = sections(Files.readString(RUNBOOK));
        assertThat(sections.keySet()).as("the runbook's sections").containsExactly(
                "Restore prod to its last good backup", "Undo a bad migration", "A copy or restore that failed halfway",
                "A stuck lock", "A full backup disk", "A backup that fails verification",
                "Moving a database to a new server");
        // the project the runbook assumes: a .env beside backups/ and db/migration/ (the URLs come from the environment)
        pg.writeEnvFile("# environments come from the process environment; newprod is the new prod\n"
                + "MANAGE_DB_PROTECTED_ENVS=prod,newprod\n");
        pg.addEnvironment("newprod");
        Datasets.load(pg, "prod", "northwind");
        migration("V1__orders_shipped_index.sql", "CREATE INDEX orders_shipped ON orders (shipped_date);\n");
        migration("U1__orders_shipped_index.sql", "DROP INDEX orders_shipped;\n");
        manageDb("migrate", "baseline", "-e", "prod", "--version", "0");
        manageDb("migrate", "apply", "-e", "prod");
        manageDb("backup", "-e", "prod");
        manageDb("backup", "-e", "prod");
        String orderDetails = pg.query("prod", "SELECT count(*) FROM order_details");

        for (Map.Entry<String, List<String>> section : sections.entrySet()) {
            stage(section.getKey());
            transcript.append("\n## ").append(section.getKey()).append('\n');
            for (String line : section.getValue()) {
                runLine(line);
            }
            afterwards(section.getKey(), orderDetails);
        }
        System.out.println(transcript); // target/surefire-reports/*-output.txt, to read what the runbook printed
    }

    /** Creates the incident a section is about. */
    private void stage(String section) throws Exception {
        switch (section) {
            case "Restore prod to its last good backup" -> pg.sql("prod", "DELETE FROM order_details");
            case "Undo a bad migration" -> {
                migration("V2__orders_amount_not_null.sql",
                        "ALTER TABLE orders ADD COLUMN amount numeric NOT NULL DEFAULT 0;\n");
                migration("U2__orders_amount_not_null.sql", "ALTER TABLE orders DROP COLUMN amount;\n");
                manageDb("migrate", "apply", "-e", "prod");
            }
            case "A copy or restore that failed halfway" -> killACopyHalfway();
            case "A stuck lock" -> stuckLock = holdTheLockLikeAHungManageDb();
            case "A full backup disk" -> Files.writeString(backups().resolve(
                    "prod_" + pg.database("prod") + "_20200101T000000Z.dump.partial"), "a backup the full disk cut");
            case "A backup that fails verification" -> damage(newestRegularBackup());
            default -> {
                // nothing to stage
            }
        }
    }

    /** What the section's own checks cannot see from its output. */
    private void afterwards(String section, String orderDetails) throws SQLException, IOException {
        switch (section) {
            case "Restore prod to its last good backup" ->
                    assertThat(pg.query("prod", "SELECT count(*) FROM order_details")).isEqualTo(orderDetails);
            case "Undo a bad migration" -> {
                assertThat(pg.query("prod", "SELECT count(*) FROM information_schema.columns"
                        + " WHERE table_name = 'orders' AND column_name = 'amount'")).isEqualTo("0");
                assertThat(pg.query("prod", "SELECT to_regclass('orders_shipped')")).isEqualTo("orders_shipped");
            }
            case "A copy or restore that failed halfway" -> {
                assertThat(scratchDatabases()).isEqualTo("0");
                assertThat(pg.query("test", "SELECT count(*) FROM order_details")).isEqualTo(orderDetails);
            }
            case "A stuck lock" -> assertThat(stuckLock.isValid(2)).as("the stuck session was ended").isFalse();
            case "A full backup disk" -> {
                try (Stream<Path> files = Files.list(backups())) {
                    assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
                }
            }
            case "Moving a database to a new server" -> {
                assertThat(pg.query("newprod", "SELECT count(*) FROM order_details")).isEqualTo(orderDetails);
                assertThat(pg.query("newprod", "SELECT count(*) FROM flyway_schema_history WHERE version = '1'"))
                        .isEqualTo("1");
            }
            default -> {
                // the commands' exit statuses say it all
            }
        }
    }

    private void runLine(String line) throws Exception {
        int expected = expectedExit(line);
        Run run;
        if (line.startsWith("manage-db ")) {
            run = pg.run(env(), words(line.substring("manage-db ".length())).toArray(String[]::new));
        } else {
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.matches()) {
                run = bash(line + "\nprintf '%s' \"$" + assignment.group(1) + "\"");
                vars.put(assignment.group(1), run.out());
            } else {
                run = bash(line);
            }
        }
        transcript.append("$ ").append(line).append("\n").append(run.out()).append(run.err());
        assertThat(run.exitCode()).as("exit status of\n  %s\n%s\n--- transcript so far\n%s", line, run, transcript)
                .isEqualTo(expected);
    }

    private Map<String, String> env() {
        Map<String, String> env = pg.env();
        env.putAll(vars);
        return env;
    }

    private Run bash(String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(pg.dir().toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(script).isTrue();
        return new Run(p.exitValue(), out, "");
    }

    private void manageDb(String... args) {
        Run run = pg.run(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    /** The lines of every {@code sh} block, per {@code ##} section. */
    static Map<String, List<String>> sections(String markdown) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        boolean inSh = false;
        boolean inOther = false;
        for (String line : markdown.split("\n", -1)) {
            if (inSh || inOther) {
                if (line.strip().equals("```")) {
                    inSh = false;
                    inOther = false;
                } else if (inSh && !line.isBlank() && !line.strip().startsWith("#")) {
                    assertThat(current).as("a sh block before the first section").isNotNull();
                    current.add(line.strip());
                }
            } else if (line.startsWith("## ")) {
                current = sections.computeIfAbsent(line.substring(3).strip(), k -> new ArrayList<>());
            } else if (line.startsWith("```")) {
                inSh = line.strip().equals("```sh");
                inOther = !inSh;
            }
        }
        return sections;
    }

    static int expectedExit(String line) {
        Matcher m = EXIT.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Splits a command line as a shell would: quotes, backslashes, {@code $NAME} / {@code ${NAME}} expansion, a
     * {@code #} comment. Pipes, redirections, substitutions and globs are refused: write such a line for bash.
     */
    List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote == '\'') {
                if (ch == '\'') {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\\' && i + 1 < line.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            } else if (ch == '$') {
                word = word == null ? new StringBuilder() : word;
                Matcher m = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))")
                        .matcher(line).region(i, line.length());
                assertThat(m.lookingAt()).as("only $NAME expansions in a manage-db line: " + line).isTrue();
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                String value = env().get(name);
                assertThat(value).as("$" + name + " is set, in: " + line).isNotNull();
                word.append(value);
                i = m.end() - 1;
            } else if (quote == '"') {
                if (ch == '"') {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                word = word == null ? new StringBuilder() : word;
                quote = ch;
            } else if (Character.isWhitespace(ch)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (ch == '#' && word == null) {
                break;
            } else {
                assertThat("|&;<>`*?".indexOf(ch)).as("no shell syntax in a manage-db line: " + line).isNegative();
                word = word == null ? new StringBuilder() : word;
                word.append(ch);
            }
        }
        assertThat(quote).as("unterminated quote in: " + line).isEqualTo((char) 0);
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static void migration(String name, String sql) throws IOException {
        Path dir = Files.createDirectories(pg.dir().resolve("db/migration"));
        Files.writeString(dir.resolve(name), sql);
    }

    private static Path backups() {
        return pg.dir().resolve("backups");
    }

    private static String scratchDatabases() {
        // this class's only: the server is shared with other test classes (scratch names start with the target's)
        return pg.query("prod", "SELECT count(*) FROM pg_database WHERE datname LIKE 'mdb\\_runbooktest\\_%\\_\\_mdb\\_%'");
    }

    /** A copy to test killed (SIGKILL) while its pg_dump waits for a table of prod: it leaves a scratch database. */
    private static void killACopyHalfway() throws Exception {
        try (Connection blocker = pg.connect("prod"); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            Process p = Jvm.start(pg.dir(), pg.env(), "copy", "--from", "prod", "--to", "test", "-y",
                    "--no-safety-backup", "--unmasked", "--confirm", "prod");
            Jvm.await("the copy to wait for prod's orders", 60_000, () -> !scratchDatabases().equals("0")
                    && p.descendants().anyMatch(h -> h.info().command().orElse("").endsWith("pg_dump")));
            Jvm.killHard(p);
            blocker.rollback();
        }
    }

    /** What a hung manage-db on another host looks like to the server: a session holding the database's lock. */
    private static Connection holdTheLockLikeAHungManageDb() throws SQLException {
        CRC32 crc = new CRC32();
        crc.update(pg.database("prod").getBytes(StandardCharsets.UTF_8));
        Connection c = pg.server().connect("postgres");
        try (Statement st = c.createStatement();
             PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(1835295265, ?)")) {
            st.execute("SET application_name = 'manage-db backup (pid 4242 on cron-1)'");
            ps.setInt(1, (int) (crc.getValue() & 0x7fffffff));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next() && rs.getBoolean(1)).as("the lock was free").isTrue();
            }
        }
        return c;
    }

    private static Path newestRegularBackup() throws IOException {
        try (Stream<Path> files = Files.list(backups())) {
            return files.filter(p -> p.getFileName().toString().matches("prod_.*Z(-\\d+)?\\.dump"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified())).orElseThrow();
        }
    }

    /** Flips bytes in the middle: same size, wrong checksum, as a bad disk sector would. */
    private static void damage(Path backup) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(backup.toFile(), "rw")) {
            long middle = f.length() / 2;
            f.seek(middle);
            byte[] bytes = new byte[16];
            f.readFully(bytes);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) ~bytes[i];
            }
            f.seek(middle);
            f.write(bytes);
        }
    }
}
