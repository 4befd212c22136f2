package io.managedb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Logging is configured only when asked for (-v), so that quick commands never initialise Logback up front. */
final class Logging {
    private Logging() {
    }

    static void verbose() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("io.managedb")).setLevel(Level.DEBUG);
    }
}
