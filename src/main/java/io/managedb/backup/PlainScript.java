package io.managedb.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits plain SQL text the way psql reads it: complete top-level statements (ended by {@code ;} outside quotes,
 * comments and parentheses), backslash meta-commands, and the data lines of {@code COPY ... FROM stdin}. It knows
 * psql's lexical states: {@code '...'} strings ({@code ''} doubling, standard_conforming_strings on), {@code E'...'}
 * with backslash escapes, {@code $tag$...$tag$}, {@code "..."} identifiers, {@code --} and nested comments.
 * <p>
 * Text is read as ISO-8859-1, one char per byte, so that statements are forwarded byte for byte whatever the file's
 * (ASCII-compatible) encoding; lines end at {@code \n} only, as for psql.
 */
final class PlainScript {
    enum Kind { WORD, IDENT, STRING, SYMBOL }

    /** A token outside comments: WORD upper-cased, IDENT and STRING as their content. */
    record Token(Kind kind, String text) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equals(word);
        }

        /** The name this token denotes as an identifier (unquoted words fold to lower case). */
        String name() {
            return kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : text;
        }
    }

    sealed interface Piece permits Statement, Meta, CopyData {
        int line();
    }

    /** A complete statement: its text from the first token to the terminating {@code ;}. */
    record Statement(String text, int line, List<Token> tokens, boolean copyIn) implements Piece {
        String word(int i) {
            return i < tokens.size() && tokens.get(i).kind() == Kind.WORD ? tokens.get(i).text() : "";
        }
    }

    /** A backslash meta-command; {@code alone} when it stands on a line of its own outside any statement. */
    record Meta(String command, String args, int line, boolean alone) implements Piece {
    }

    /** One data line of COPY ... FROM stdin, the closing {@code \.} included ({@code end}). */
    record CopyData(String text, int line, boolean end) implements Piece {
    }

    private enum State { INITIAL, QUOTE, EQUOTE, DQUOTE, DOLLAR, COMMENT }

    private final InputStream in;
    private final ByteArrayOutputStream lineBuf = new ByteArrayOutputStream(256);
    private final List<Piece> ready = new ArrayList<>();
    private int lineNo;
    private boolean eof;
    private State state = State.INITIAL;
    private String dollarTag;
    private int commentDepth;
    private int parens;
    private int quoteStart;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder quoted = new StringBuilder();
    private List<Token> tokens = new ArrayList<>();
    private int statementLine;
    private boolean copyMode;
    private String lastContentLine;

    PlainScript(InputStream in) {
        this.in = in;
    }

    /** The next piece, or null at the end; a {@link Refusal} for text psql would read differently. */
    Piece next() throws IOException {
        while (ready.isEmpty()) {
            if (eof) {
                return null;
            }
            String line = readLine();
            if (line == null) {
                eof = true;
                finish();
            } else {
                lex(line);
            }
        }
        return ready.remove(0);
    }

    /** The last line that is not blank, {@code --} or <code>&#92;unrestrict</code>: pg_dump ends with its trailer. */
    String lastContentLine() {
        return lastContentLine;
    }

    private String readLine() throws IOException {
        lineBuf.reset();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            lineBuf.write(b);
        }
        if (b < 0 && lineBuf.size() == 0) {
            return null;
        }
        lineNo++;
        String line = lineBuf.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!line.isBlank() && !line.strip().equals("--") && !line.startsWith("\\unrestrict ")) {
            lastContentLine = line;
        }
        return line;
    }

    private void finish() {
        if (copyMode) {
            throw new Refusal(lineNo, "COPY data is not ended by a line \\.");
        }
        if (state != State.INITIAL) {
            throw new Refusal(quoteStart, "unterminated " + switch (state) {
                case COMMENT -> "comment";
                case DQUOTE -> "quoted identifier";
                case DOLLAR -> "dollar-quoted string";
                default -> "quoted string";
            });
        }
        if (!tokens.isEmpty()) {
            throw new Refusal(statementLine, "statement not ended by ';' at the end of the file");
        }
    }

    private void lex(String line) {
        if (copyMode) {
            boolean end = line.equals("\\.") || line.equals("\\.\r");
            copyMode = !end;
            ready.add(new CopyData(line, lineNo, end));
            return;
        }
        int n = line.length();
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            switch (state) {
                case QUOTE, EQUOTE -> {
                    if (state == State.EQUOTE && c == '\\' && i + 1 < n) {
                        quoted.append(c).append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        i = inDoublingQuote(line, i, '\'', Kind.STRING);
                    }
                    continue;
                }
                case DQUOTE -> {
                    i = inDoublingQuote(line, i, '"', Kind.IDENT);
                    continue;
                }
                case DOLLAR -> {
                    if (line.startsWith(dollarTag, i)) {
                        token(Kind.STRING, quoted.toString());
                        state = State.INITIAL;
                        i += dollarTag.length();
                    } else {
                        quoted.append(c);
                        i++;
                    }
                    continue;
                }
                case COMMENT -> {
                    if (line.startsWith("/*", i)) {
                        commentDepth++;
                        i += 2;
                    } else if (line.startsWith("*/", i)) {
                        commentDepth--;
                        state = commentDepth == 0 ? State.INITIAL : State.COMMENT;
                        i += 2;
                    } else {
                        i++;
                    }
                    continue;
                }
                default -> {
                }
            }
            int start = i;
            if (line.startsWith("--", i)) {
                break;
            } else if (line.startsWith("/*", i)) {
                state = State.COMMENT;
                commentDepth = 1;
                quoteStart = lineNo;
                i += 2;
                continue;
            } else if (c == '\\') {
                meta(line, i);
                return;
            } else if (c == '\'') {
                open(State.QUOTE);
                i++;
            } else if (c == '"') {
                open(State.DQUOTE);
                i++;
            } else if (c == '$' && dollarTagAt(line, i) != null) {
                dollarTag = dollarTagAt(line, i);
                open(State.DOLLAR);
                i += dollarTag.length();
            } else if (identStart(c)) {
                while (i < n && identPart(line.charAt(i))) {
                    i++;
                }
                String word = line.substring(start, i);
                if (word.equalsIgnoreCase("E") && i < n && line.charAt(i) == '\'') {
                    open(State.EQUOTE);
                    i++;
                } else if (word.equalsIgnoreCase("U") && line.startsWith("&'", i)) {
                    open(State.QUOTE);
                    i += 2;
                } else if (word.equalsIgnoreCase("U") && line.startsWith("&\"", i)) {
                    open(State.DQUOTE);
                    i += 2;
                } else {
                    token(Kind.WORD, word.toUpperCase(Locale.ROOT));
                }
            } else if (Character.isDigit(c)) {
                while (i < n && (identPart(line.charAt(i)) || line.charAt(i) == '.')) {
                    i++;
                }
                token(Kind.SYMBOL, line.substring(start, i));
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                i++;
                if (c == '(') {
                    parens++;
                } else if (c == ')' && parens > 0) {
                    parens--;
                }
                token(Kind.SYMBOL, String.valueOf(c));
                if (c == ';' && parens == 0) {
                    text.append(line, 0, i);
                    endStatement();
                    if (copyMode && !line.substring(i).isBlank()) {
                        throw new Refusal(lineNo, "text after COPY ... FROM stdin on the same line");
                    }
                    if (copyMode) {
                        return;
                    }
                    line = line.substring(i);
                    n = line.length();
                    i = 0;
                    continue;
                }
            }
        }
        text.append(line).append('\n');
        if (state != State.INITIAL && state != State.COMMENT) {
            quoted.append('\n');
        }
    }

    private void open(State quote) {
        if (tokens.isEmpty()) {
            statementLine = lineNo;
        }
        state = quote;
        quoteStart = lineNo;
        quoted.setLength(0);
    }

    private void token(Kind kind, String value) {
        if (tokens.isEmpty() && kind != Kind.STRING && kind != Kind.IDENT) {
            statementLine = lineNo;
        }
        tokens.add(new Token(kind, value));
    }

    private void endStatement() {
        String all = text.toString();
        int first = firstTokenOffset(all);
        boolean copyIn = isCopyFromStdin(tokens);
        ready.add(new Statement(all.substring(first), statementLine, List.copyOf(tokens), copyIn));
        copyMode = copyIn;
        text.setLength(0);
        tokens = new ArrayList<>();
    }

    /** Skips leading whitespace and comments, so that only the statement itself is forwarded. */
    private static int firstTokenOffset(String s) {
        int i = 0;
        while (i < s.length()) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
            } else if (s.startsWith("--", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int depth = 1;
                i += 2;
                while (i < s.length() && depth > 0) {
                    if (s.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (s.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else {
                return i;
            }
        }
        return i;
    }

    static boolean isCopyFromStdin(List<Token> tokens) {
        if (tokens.isEmpty() || !tokens.get(0).is("COPY")) {
            return false;
        }
        int depth = 0;
        for (int i = 1; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.SYMBOL && t.text().equals("(")) {
                depth++;
            } else if (t.kind() == Kind.SYMBOL && t.text().equals(")")) {
                depth--;
            } else if (depth == 0 && (t.is("FROM") || t.is("TO"))) {
                return t.is("FROM") && tokens.get(i + 1).is("STDIN");
            }
        }
        return false;
    }

    private void meta(String line, int at) {
        int i = at + 1;
        int n = line.length();
        int nameEnd = i;
        while (nameEnd < n && identPart(line.charAt(nameEnd)) && line.charAt(nameEnd) != '$') {
            nameEnd++;
        }
        if (nameEnd == i && i < n) {
            nameEnd = i + 1;
        }
        String command = line.substring(i, nameEnd);
        boolean alone = tokens.isEmpty() && line.substring(0, at).isBlank();
        ready.add(new Meta(command, line.substring(nameEnd).strip(), lineNo, alone));
        if (alone) {
            text.setLength(0);
        }
    }

    private static String dollarTagAt(String line, int i) {
        int j = i + 1;
        if (j < line.length() && (identStart(line.charAt(j)))) {
            j++;
            while (j < line.length() && identPart(line.charAt(j)) && line.charAt(j) != '$') {
                j++;
            }
        }
        return j < line.length() && line.charAt(j) == '$' ? line.substring(i, j + 1) : null;
    }

    private static boolean identStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    private static boolean identPart(char c) {
        return identStart(c) || c >= '0' && c <= '9' || c == '$';
    }

    /** Text psql would read differently from the vetter, or cannot be vetted: exit 7 naming the line. */
    static final class Refusal extends RuntimeException {
        final int line;

        Refusal(int line, String reason) {
            super(reason);
            this.line = line;
        }
    }

    /**
     * One character inside a quote that escapes itself by doubling ({@code ''} or {@code ""}), at {@code i}: the
     * quote ends at a single one. Returns where to go on.
     */
    private int inDoublingQuote(String line, int i, char quote, Kind kind) {
        char c = line.charAt(i);
        if (c == quote && i + 1 < line.length() && line.charAt(i + 1) == quote) {
            quoted.append(quote);
            return i + 2;
        }
        if (c == quote) {
            token(kind, quoted.toString());
            state = State.INITIAL;
        } else {
            quoted.append(c);
        }
        return i + 1;
    }
}
