package io.managedb.safety;

/** Asks the operator a question on the terminal. */
public interface Prompter {
    /** True when there is a terminal to ask on. */
    boolean interactive();

    /** Shows the prompt and returns the answer (null at end of input). */
    String ask(String prompt);

    /** No terminal: every question is refused rather than left waiting for input. */
    Prompter NONE = new Prompter() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public String ask(String prompt) {
            return null;
        }
    };
}
