package io.managedb.pg;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.Optional;

/**
 * Which signal is stopping this JVM (SIGINT, SIGTERM, SIGHUP), recorded so that the error says so instead of
 * reporting a child that was killed as a failed child. The JVM's own handler still runs afterwards: shutdown hooks
 * (see {@link ProcessRunner}) and exit status 128 + the signal's number. The signal is process-wide, and so is this
 * record; only {@code main} installs it.
 */
public final class Signals {
    private static volatile String received;
    private static volatile int number;

    private Signals() {
    }

    public static synchronized void install() {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Recorder recorder = new Recorder(name);
                recorder.previous = Signal.handle(new Signal(name), recorder);
            } catch (IllegalArgumentException unsupported) {
                // a signal this platform does not have
            }
        }
    }

    /** Records the signal, then hands it to the JVM's own handler (a class, not a lambda: no bootstrap at start). */
    private static final class Recorder implements SignalHandler {
        private final String name;
        private SignalHandler previous;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void handle(Signal s) {
            received = "SIG" + name;
            number = s.getNumber();
            try {
                previous.handle(s);
            } catch (RuntimeException noJavaHandler) {
                System.exit(128 + s.getNumber()); // the JVM runs without its handlers (-Xrs)
            }
        }
    }

    /** The signal that is stopping the JVM, e.g. {@code SIGTERM}. */
    public static Optional<String> received() {
        return Optional.ofNullable(received);
    }

    /** The exit status the JVM ends with: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). */
    public static int exitStatus() {
        return 128 + number;
    }
}
