package io.managedb.pg;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessRunnerTest {
    private final ProcessRunner runner = new ProcessRunner();
    private final Map<String, String> env = Map.of("PATH", System.getenv("PATH"));

    @AfterEach
    void close() {
        runner.close();
    }

    private ProcessSpec sh(String script) {
        return ProcessSpec.of(List.of("sh", "-c", script), env);
    }

    @Test
    void drainsChattyStdoutAndStderrConcurrently() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger lines = new AtomicInteger();
        runner.run(sh("i=0; while [ $i -lt 20000 ]; do echo line $i; echo err $i >&2; i=$((i+1)); done")
                .stdoutTo(out).onStderrLine(l -> lines.incrementAndGet()).timeout(Duration.ofSeconds(60)));
        assertThat(out.toString()).contains("line 19999");
        assertThat(lines.get()).isEqualTo(20000);
    }

    @Test
    void nonZeroExitCarriesStatusAndLastStderrLines() {
        assertThatThrownBy(() -> runner.run(sh("echo progress >&2; echo 'error: boom' >&2; exit 3")))
                .isInstanceOf(ManageDbException.class)
                .hasMessage("sh failed (exit status 3): error: boom");
    }

    @Test
    void timeoutKillsTheChild() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> runner.run(sh("sleep 30").timeout(Duration.ofMillis(300))))
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aFailingProducerFailsThePipeEvenWhenTheConsumerSucceeds() {
        assertThatThrownBy(() -> runner.pipe(sh("echo data; echo 'error: source gone' >&2; exit 2"), sh("cat >/dev/null")))
                .hasMessageContaining("exit status 2").hasMessageContaining("source gone");
        assertThatThrownBy(() -> runner.pipe(sh("echo data"), sh("cat >/dev/null; exit 4")))
                .hasMessageContaining("exit status 4");
    }

    @Test
    void thePipeRelaysEveryByteAndCountsThem() {
        java.util.concurrent.atomic.AtomicLong moved = new java.util.concurrent.atomic.AtomicLong();
        ProcessResult result = runner.pipe(sh("head -c 3000000 /dev/zero | tr '\\0' x"), sh("wc -c"), moved::addAndGet);
        assertThat(result.stdout().strip()).isEqualTo("3000000");
        assertThat(moved.get()).isEqualTo(3_000_000L);
    }

    @Test
    void aConsumerThatStopsReadingStopsTheProducerAndIsTheCause() {
        long t0 = System.nanoTime();
        ProcessSpec failing = sh("head -c 10 >/dev/null; echo 'error: target gone' >&2; exit 3");
        assertThatThrownBy(() -> runner.pipe(sh("yes"), failing))
                .hasMessageContaining("exit status 3").hasMessageContaining("target gone");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingProgramIsAConfigurationError() {
        assertThatThrownBy(() -> runner.run(ProcessSpec.of(List.of("/nonexistent/pg_dump"), env)))
                .isInstanceOf(ManageDbException.class)
                .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.CONFIG);
    }

    @Test
    void interruptKillsTheChildAndSaysSo() throws Exception {
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        assertThatThrownBy(() -> runner.run(sh("sleep 30")))
                .extracting(e -> ((ManageDbException) e).exitCode()).isEqualTo(ExitCode.INTERRUPTED);
        Thread.interrupted();
        interrupter.join();
    }
}
