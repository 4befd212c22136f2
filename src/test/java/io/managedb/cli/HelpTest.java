package io.managedb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.managedb.ManageDb;
import io.managedb.testing.Run;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command explains itself: --help, -h and help COMMAND, examples, exit codes, 80 columns, suggestions. */
class HelpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ManageDb.run(new Context(env, Path.of(System.getProperty("java.io.tmpdir")),
                io.managedb.safety.Prompter.NONE, false), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("java.io.tmpdir")), args);
    }

    /** Every command path, found from the help's own "Commands:" sections. */
    private static List<List<String>> commands(List<String> path) {
        List<List<String>> all = new ArrayList<>();
        all.add(path);
        String[] args = new ArrayList<>(path) {{ add("--help"); }}.toArray(String[]::new);
        String help = run(args).out();
        int at = help.indexOf("\nCommands:\n");
        if (at >= 0) {
            for (String line : help.substring(at + 11).split("\n")) {
                if (!line.startsWith("  ") || line.startsWith("   ")) {
                    if (line.isBlank() || !line.startsWith(" ")) {
                        break;
                    }
                    continue;
                }
                String name = line.strip().split("\\s+")[0].replace(",", "");
                if (!name.equals("help")) {
                    List<String> sub = new ArrayList<>(path);
                    sub.add(name);
                    all.addAll(commands(sub));
                }
            }
        }
        return all;
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithExamplesAndExitCodesIn80Columns() {
        List<List<String>> commands = commands(List.of());
        assertThat(commands).hasSizeGreaterThan(25);
        for (List<String> path : commands) {
            String name = String.join(" ", path);
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run help = run(args.toArray(String[]::new));
            assertThat(help.exitCode()).as(name + ": " + help).isZero();
            args.set(args.size() - 1, "-h");
            assertThat(run(args.toArray(String[]::new)).out()).as(name).isEqualTo(help.out());
            List<String> viaHelp = new ArrayList<>(List.of("help"));
            viaHelp.addAll(path);
            assertThat(run(viaHelp.toArray(String[]::new)).out()).as(name).isEqualTo(help.out());

            String out = help.out();
            assertThat(out).as(name).startsWith("Usage: manage-db" + (path.isEmpty() ? "" : " " + name))
                    .contains("\nExit codes:\n").contains("  2   usage error").contains("\nExamples:\n");
            assertThat(Arrays.stream(out.split("\n")).filter(l -> l.length() > 80).toList()).as(name).isEmpty();
            String examples = out.substring(out.indexOf("\nExamples:\n") + 11);
            long count = Arrays.stream(examples.split("\n")).takeWhile(l -> !l.isBlank())
                    .filter(l -> l.matches("^  (manage-db|source|zsh).*")).count();
            assertThat(count).as(name + " examples").isBetween(2L, 4L);
        }
    }

    @Test
    void everyPreRenderedPageIsWhatPicocliRendersAndEveryCommandHasOne() {
        List<List<String>> paths = HelpPages.paths();
        assertThat(paths).containsAll(commands(List.of()));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            assertThat(HelpPages.lookup(args.toArray(String[]::new))).as(String.join(" ", path) + " (rebuild: ./mvnw"
                    + " process-classes)").isNotNull().isEqualTo(HelpPages.render(path));
        }
        // examples.txt has one section per command, and none for a command that is gone
        assertThat(CommandSetup.examples().keySet()).containsExactlyInAnyOrderElementsOf(paths.stream()
                .map(p -> p.isEmpty() ? "manage-db" : String.join(" ", p)).toList());
        // a help request among other options is picocli's, and says the same
        assertThat(HelpPages.lookup(new String[] {"backup", "-e", "prod", "--help"})).isNull();
        assertThat(run("backup", "-e", "prod", "--help").out()).isEqualTo(run("backup", "--help").out());
    }

    @Test
    void helpWorksWhenRequiredOptionsAreMissing() {
        Run copy = run("copy", "--help");
        assertThat(copy.exitCode()).as(copy.toString()).isZero();
        assertThat(copy.out()).contains("--from=ENV1").contains("Default: 1");
        assertThat(copy.err()).isEmpty();
        Run baseline = run("migrate", "baseline", "-h");
        assertThat(baseline.exitCode()).as(baseline.toString()).isZero();
    }

    @Test
    void unknownCommandsAndOptionsSuggestTheNearestOne() {
        Run command = run("bakcup");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.err()).contains("unknown command 'bakcup'").contains("did you mean backup");
        Run option = run("backup", "--formt", "plain");
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.err()).contains("--format");
        Run sub = run("help", "backup", "prnue");
        assertThat(sub.exitCode()).isEqualTo(2);
    }

    @Test
    void usageErrorsWithJsonPrintOneJsonDocument() throws Exception {
        Run run = run("backup", "--bogus", "--json");
        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("exitCode").asInt()).isEqualTo(2);
        assertThat(doc.get("exitReason").asText()).isEqualTo("usage");
        assertThat(doc.get("error").asText()).contains("--bogus");
    }

    @Test
    void completionOffersLowerCaseValuesAndTheConfiguredEnvironments() {
        Run run = run(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("java.io.tmpdir"),
                "STAGING_DATABASE_URL", "postgresql://u@db.example/app"), "completion");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("(\"custom\" \"plain\" \"directory\")").doesNotContain("CUSTOM");
        assertThat(run.out()).contains("ENV_option_args=(\"dev\" \"staging\") # --env values")
                .contains("_option_args=(\"dev\" \"staging\") # --from values")
                .contains("ENV2_option_args=(\"dev\" \"staging\") # --to values");
    }
}
