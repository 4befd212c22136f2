package io.managedb.cli;

import io.managedb.check.CheckService;

import java.util.Optional;

/** Builds the core services from a session's collaborators, in one place. */
final class Services {
    private Services() {
    }

    static CheckService check(Session s) {
        return new CheckService(s.config(), s.tools(), env -> Optional.empty(), env -> null);
    }
}
