package io.managedb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging is configured only when asked for (-v), so that quick commands never initialise Logback up front. Without
 * -v every logger is off (logback.xml). Logback's levels are global: {@link #verbose()} returns a scope that puts
 * them back, so that a verbose in-process run does not leave verbose logging on for the next one.
 */
final class Logging {
    private Logging() {
    }

    /** Restores the levels {@link #verbose()} changed. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    static Scope verbose() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger own = (Logger) LoggerFactory.getLogger("io.managedb");
        Level rootLevel = root.getLevel();
        Level ownLevel = own.getLevel();
        root.setLevel(Level.INFO);
        own.setLevel(Level.DEBUG);
        return () -> {
            root.setLevel(rootLevel);
            own.setLevel(ownLevel);
        };
    }
}
