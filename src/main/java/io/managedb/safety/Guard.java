package io.managedb.safety;

import io.managedb.core.ManageDbException;
import io.managedb.config.Config;
import io.managedb.config.Environment;

import java.util.Locale;

/**
 * Confirmation before destructive operations. A protected environment needs its name typed at a prompt, or
 * {@code --confirm NAME} without a terminal; {@code --yes} alone is not enough there. Other environments ask y/N
 * unless {@code --yes}; with no terminal and no {@code --yes} they refuse rather than wait. Refusals are exit 5.
 *
 * @param assumeYes    {@code -y/--yes} was given
 * @param confirmation the {@code --confirm} value, or null
 */
public record Guard(boolean assumeYes, String confirmation, Prompter prompter) {
    /** For application code that has already decided: confirms everything but protected environments. */
    public static Guard yes() {
        return new Guard(true, null, Prompter.NONE);
    }

    /** For application code acting on a protected environment on purpose. */
    public static Guard confirmed(String environment) {
        return new Guard(true, environment, Prompter.NONE);
    }

    /** Whether {@link #confirm} would ask the operator at a prompt. */
    public boolean asks(Environment env) {
        return confirmation == null && prompter.interactive() && (env.protectedEnv() || !assumeYes);
    }

    /**
     * Returns when the operator agreed to {@code action} (e.g. "restore backup X into dev") on {@code env};
     * throws exit 5 otherwise.
     */
    public void confirm(Environment env, String action) {
        String name = env.name();
        if (confirmation != null) {
            if (Config.canonicalName(confirmation).equals(name)) {
                return;
            }
            throw ManageDbException.refused("--confirm " + confirmation + " does not match the target environment '" + name
                    + "'; nothing was done");
        }
        if (env.protectedEnv()) {
            if (!prompter.interactive()) {
                throw ManageDbException.refused("refusing to " + action + " on protected environment '" + name
                        + "' without confirmation; pass --confirm " + name + " (--yes is not enough)");
            }
            String answer = prompter.ask(name + " is a protected environment. Type its name to " + action + ": ");
            if (answer == null || !answer.strip().equals(name)) {
                throw ManageDbException.refused("confirmation did not match '" + name + "'; nothing was done");
            }
            return;
        }
        if (assumeYes) {
            return;
        }
        if (!prompter.interactive()) {
            throw ManageDbException.refused("refusing to " + action + " on '" + name
                    + "' without confirmation; pass -y (no terminal to ask on)");
        }
        String answer = prompter.ask(capitalize(action) + " on " + name + "? [y/N] ");
        if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw ManageDbException.refused("not confirmed; nothing was done");
        }
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
