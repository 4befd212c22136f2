package io.managedb.safety;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardTest {
    private static final Target T = new Target("h", 5432, "d", "u", null, Map.of());
    private static final Environment PROD = new Environment("prod", T, "test", false, true);
    private static final Environment DEV = new Environment("dev", T, "test", false, false);

    private static Prompter answering(String answer) {
        return new Prompter() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public String ask(String prompt) {
                return answer;
            }
        };
    }

    @Test
    void protectedNeedsTheTypedNameOrConfirm() {
        assertRefused(() -> new Guard(true, null, Prompter.NONE).confirm(PROD, "reset"));
        assertRefused(() -> new Guard(false, "dev", Prompter.NONE).confirm(PROD, "reset"));
        assertRefused(() -> new Guard(false, null, answering("y")).confirm(PROD, "reset"));
        assertThatCode(() -> new Guard(false, "production", Prompter.NONE).confirm(PROD, "reset")).doesNotThrowAnyException();
        assertThatCode(() -> new Guard(false, null, answering("prod")).confirm(PROD, "reset")).doesNotThrowAnyException();
    }

    @Test
    void unprotectedAsksOrNeedsYesWithoutATerminal() {
        assertRefused(() -> new Guard(false, null, Prompter.NONE).confirm(DEV, "reset"));
        assertRefused(() -> new Guard(false, null, answering("n")).confirm(DEV, "reset"));
        assertThatCode(() -> new Guard(false, null, answering("yes")).confirm(DEV, "reset")).doesNotThrowAnyException();
        assertThatCode(() -> new Guard(true, null, Prompter.NONE).confirm(DEV, "reset")).doesNotThrowAnyException();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ManageDbException.class)
                .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.REFUSED);
    }
}
