package io.managedb.config;

import io.managedb.core.ManageDbException;
import io.managedb.files.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and edits {@code .env} files the way dotenv users expect: {@code KEY=value}, {@code export KEY=value},
 * single and double quotes, {@code #} comments, blank lines, CRLF and a UTF-8 byte order mark.
 */
public final class DotEnv {
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*)$");

    private DotEnv() {
    }

    /** Parses a file; a malformed line is an error naming the file and line number (never its content). */
    public static Map<String, String> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ManageDbException.config("cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static Map<String, String> parse(String text, String fileName) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = lines(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Matcher m = ASSIGNMENT.matcher(line);
            String value = m.matches() ? value(m.group(2)) : null;
            if (value == null) {
                throw ManageDbException.config(fileName + ":" + (i + 1) + ": malformed line (expected KEY=value)");
            }
            values.put(m.group(1), value);
        }
        return values;
    }

    /** The value part of an assignment, or null when it is malformed (an unterminated quote, text after it). */
    private static String value(String raw) {
        String s = raw.strip();
        if (s.startsWith("'") || s.startsWith("\"")) {
            char quote = s.charAt(0);
            StringBuilder out = new StringBuilder();
            int i = 1;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == quote) {
                    break;
                }
                if (quote == '"' && c == '\\' && i + 1 < s.length()) {
                    char next = s.charAt(++i);
                    out.append(switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> next;
                    });
                } else {
                    out.append(c);
                }
            }
            if (i >= s.length()) {
                return null;
            }
            String rest = s.substring(i + 1).strip();
            return rest.isEmpty() || rest.startsWith("#") ? out.toString() : null;
        }
        int comment = s.indexOf(" #");
        return (comment >= 0 ? s.substring(0, comment) : s).strip();
    }

    private static List<String> lines(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> lines = new ArrayList<>();
        for (String line : t.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return lines;
    }

    /**
     * Sets {@code key=value} in a file, keeping every other line and comment as it was; creates the file (0600) if
     * absent. The file is replaced atomically and durably, keeping its permissions and owner (it holds passwords).
     */
    public static void write(Path file, String key, String value) {
        try {
            String original = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            List<String> lines = original.isEmpty() ? new ArrayList<>() : new ArrayList<>(lines(original));
            String bom = original.startsWith("\uFEFF") ? "\uFEFF" : "";
            String newline = original.contains("\r\n") ? "\r\n" : "\n";
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            String assignment = key + "=" + value;
            boolean replaced = false;
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = ASSIGNMENT.matcher(lines.get(i));
                if (!lines.get(i).strip().startsWith("#") && m.matches() && m.group(1).equals(key)) {
                    lines.set(i, replaced ? null : assignment);
                    replaced = true;
                }
            }
            lines.removeIf(l -> l == null);
            if (!replaced) {
                lines.add(assignment);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            PrivateFiles.writeAtomically(file, (bom + String.join(newline, lines) + newline)
                    .getBytes(StandardCharsets.UTF_8), PrivateFiles.Mode.LIKE_REPLACED);
        } catch (IOException e) {
            throw ManageDbException.config("cannot write " + file + ": " + e.getMessage());
        }
    }
}
