package io.managedb.cli;

import io.managedb.testing.JsonDocument;
import io.managedb.testing.PgEnvironment;
import io.managedb.testing.Run;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -q} prints nothing on success and one line on stderr on failure; {@code --json} makes stdout exactly one
 * JSON document, on success and on failure, for every main command (migrate has its own tests).
 */
class QuietAndJsonTest {
    @RegisterExtension
    static final PgEnvironment pg = new PgEnvironment();

    /** In order: later commands need the backup the earlier ones took. */
    private static final List<String> SUCCEEDING = List.of(
            "check -e test",
            "env list",
            "env show test",
            "backup -e test",
            "backup list -e test",
            "backup verify latest -e test",
            "backup prune -e test --keep-last 5",
            "restore latest -e test -y",
            "copy --from test --to dev -y",
            "triggers apply -e test",
            "triggers verify -e test",
            "triggers list -e test",
            "init -e test",
            "reset -e dev -y");

    private static final List<String> FAILING = List.of(
            "check -e nosuch",
            "env show nosuch",
            "backup -e nosuch",
            "backup verify latest -e dev",
            "restore latest --from test -e prod -y",
            "copy --from test --to prod -y",
            "reset -e prod -y");

    @BeforeAll
    static void data() {
        pg.sql("test", "CREATE TABLE item (id int PRIMARY KEY, name text, updated_at timestamptz);"
                + " INSERT INTO item SELECT g, 'n' || g, now() FROM generate_series(1, 50) g");
    }

    private static Run run(String command, String flag) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add(flag);
        return pg.run(args.toArray(String[]::new));
    }

    @Test
    void quietPrintsNothingOnSuccessAndOneLineOnFailure() {
        SoftAssertions soft = new SoftAssertions();
        for (String command : SUCCEEDING) {
            Run run = run(command, "-q");
            soft.assertThat(run.exitCode()).as("%s -q exits 0:\n%s", command, run).isZero();
            soft.assertThat(run.out()).as("%s -q: stdout", command).isEmpty();
            soft.assertThat(run.err()).as("%s -q: stderr", command).isEmpty();
        }
        for (String command : FAILING) {
            Run run = run(command, "-q");
            soft.assertThat(run.exitCode()).as("%s -q fails:\n%s", command, run).isNotZero();
            soft.assertThat(run.out()).as("%s -q: stdout", command).isEmpty();
            soft.assertThat(run.err().lines()).as("%s -q: stderr is one line", command).hasSize(1);
        }
        soft.assertAll();
    }

    @Test
    void jsonIsExactlyOneDocumentOnSuccessAndOnFailure() {
        assertThat(pg.run("backup", "-e", "test", "-q").exitCode()).isZero();
        SoftAssertions soft = new SoftAssertions();
        for (String command : SUCCEEDING) {
            Run run = run(command, "--json");
            soft.assertThat(run.exitCode()).as("%s --json exits 0:\n%s", command, run).isZero();
            soft.assertThatCode(() -> JsonDocument.parse(run.out())).as("%s --json", command)
                    .doesNotThrowAnyException();
        }
        for (String command : FAILING) {
            Run run = run(command, "--json");
            soft.assertThat(run.exitCode()).as("%s --json fails:\n%s", command, run).isNotZero();
            soft.assertThatCode(() -> JsonDocument.parse(run.out())).as("%s --json on failure", command)
                    .doesNotThrowAnyException();
        }
        soft.assertAll();
    }
}
