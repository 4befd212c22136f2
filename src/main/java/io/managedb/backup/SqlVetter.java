package io.managedb.backup;

import io.managedb.backup.PlainScript.Kind;
import io.managedb.backup.PlainScript.Meta;
import io.managedb.backup.PlainScript.Piece;
import io.managedb.backup.PlainScript.Refusal;
import io.managedb.backup.PlainScript.Statement;
import io.managedb.backup.PlainScript.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what of a plain SQL file may reach psql, which runs it in a scratch database: SQL that stays in that
 * database is sent; the database-level preamble of {@code pg_dump --create} (and {@code \connect} to the database it
 * creates, {@code \restrict}, {@code \encoding}) is stripped; anything else that acts outside the scratch database or
 * is not SQL is refused with a {@link Refusal} naming the line.
 * <p>
 * The name of the database the file creates is learnt while vetting ({@code DROP DATABASE} comes before
 * {@code CREATE DATABASE}): a first pass is {@link #learning()}, and {@link #finish()} checks what it deferred.
 */
final class SqlVetter {
    enum Decision { SEND, STRIP }

    /** Found anywhere in a statement outside COPY data (words, strings and function bodies). */
    private static final Pattern ANYWHERE = Pattern.compile("(?i)\\b(dblink\\w*|lo_import|lo_export|pg_read_file"
            + "|pg_read_binary_file|pg_ls_\\w*dir|pg_file_write|pg_file_rename|pg_file_unlink|pg_stat_file"
            + "|standard_conforming_strings|client_encoding|dynamic_library_path|\\w*preload_libraries)\\b");
    /** Found in string and dollar-quoted bodies (DO blocks, functions) that could run during the restore. */
    private static final Pattern IN_BODIES = Pattern.compile("(?i)\\b(COPY\\b[\\s\\S]*?\\bPROGRAM|ALTER\\s+SYSTEM"
            + "|(DROP|CREATE|ALTER)\\s+(DATABASE|ROLE|USER|GROUP|TABLESPACE)|LOAD\\s+')");
    private static final Set<String> SHARED_CATALOGS = Set.of("pg_database", "pg_authid", "pg_auth_members",
            "pg_db_role_setting", "pg_tablespace", "pg_shdescription", "pg_shseclabel", "pg_shdepend",
            "pg_replication_origin", "pg_subscription", "pg_parameter_acl");
    private static final Set<String> UNSAFE_LANGUAGES = Set.of("c", "plperlu", "plpythonu", "plpython2u",
            "plpython3u", "pltclu", "plsh", "plluau", "plr", "internal");
    /** Client-only encodings whose multi-byte characters may hold a backslash or quote byte. */
    private static final Pattern CLIENT_ONLY_ENCODING = Pattern.compile(
            "(?i).*(SJIS|SHIFTJIS|BIG5|GBK|UHC|GB18030|JOHAB|932|936|949|950).*");

    private final boolean learning;
    private String created;
    private boolean preambleOver;
    private final List<Deferred> deferred = new ArrayList<>();

    private record Deferred(int line, String name, String what) {
    }

    private SqlVetter(boolean learning, String created) {
        this.learning = learning;
        this.created = created;
    }

    /** For the first pass: learns the created database's name, checks references to it in {@link #finish()}. */
    static SqlVetter learning() {
        return new SqlVetter(true, null);
    }

    /** For the streaming pass, knowing what the first pass learnt ({@code created} may be null). */
    static SqlVetter knowing(String created) {
        return new SqlVetter(false, created);
    }

    /** The database the file creates with CREATE DATABASE, or null. */
    String created() {
        return created;
    }

    void finish() {
        for (Deferred d : deferred) {
            requireCreated(d.line(), d.name(), d.what());
        }
    }

    Decision check(Piece piece) {
        if (piece instanceof Meta m) {
            return meta(m);
        }
        if (!(piece instanceof Statement s)) {
            return Decision.SEND;
        }
        Decision d = statement(s);
        if (d == Decision.SEND && !s.word(0).equals("SET") && !(s.word(0).equals("SELECT")
                && s.text().startsWith("SELECT pg_catalog.set_config("))) {
            preambleOver = true;
        }
        return d;
    }

    private Decision meta(Meta m) {
        String cmd = m.command();
        boolean plainArgs = !m.args().matches("(?s).*[\\\\`:].*");
        if (m.alone() && plainArgs && (cmd.equals("restrict") || cmd.equals("unrestrict"))
                && m.args().matches("[A-Za-z0-9]+")) {
            return Decision.STRIP;
        }
        if (m.alone() && plainArgs && cmd.equals("encoding") && m.args().matches("[A-Za-z0-9_]+")
                && !CLIENT_ONLY_ENCODING.matcher(m.args()).matches()) {
            return Decision.STRIP;
        }
        if (m.alone() && plainArgs && (cmd.equals("connect") || cmd.equals("c"))) {
            String db = connectTarget(m.args());
            if (db != null) {
                refer(m.line(), db, "\\" + cmd);
                return Decision.STRIP;
            }
        }
        throw new Refusal(m.line(), "psql meta-command \\" + cmd + " is not allowed in a backup file");
    }

    /** The database of pg_dump's {@code \connect NAME} or {@code \connect -reuse-previous=on "dbname='NAME'"}. */
    static String connectTarget(String args) {
        Matcher bare = Pattern.compile("([^\\s\"']+)").matcher(args);
        if (bare.matches()) {
            return bare.group(1);
        }
        Matcher quoted = Pattern.compile("(-reuse-previous=on\\s+)?\"((?:[^\"]|\"\")*)\"").matcher(args);
        if (!quoted.matches()) {
            return null;
        }
        String value = quoted.group(2).replace("\"\"", "\"");
        if (quoted.group(1) == null) {
            return value;
        }
        Matcher conn = Pattern.compile("dbname=(?:'((?:[^'\\\\]|\\\\.)*)'|([^\\s']+))").matcher(value);
        if (!conn.matches()) {
            return null;
        }
        return conn.group(1) != null ? conn.group(1).replaceAll("\\\\(.)", "$1") : conn.group(2);
    }

    private Decision statement(Statement s) {
        List<Token> t = s.tokens();
        String w0 = s.word(0);
        String w1 = s.word(1);
        Decision dbLevel = databaseLevel(s);
        if (dbLevel != null) {
            return dbLevel;
        }
        if (w0.equals("ALTER") && w1.equals("SYSTEM")) {
            refuse(s, "ALTER SYSTEM changes the server's configuration");
        }
        if ((w0.equals("CREATE") || w0.equals("ALTER") || w0.equals("DROP"))
                && Set.of("ROLE", "USER", "GROUP", "TABLESPACE").contains(w1)) {
            refuse(s, w0 + " " + w1 + " changes the server, not the database");
        }
        if (w0.equals("LOAD")) {
            refuse(s, "LOAD loads a shared library into the server");
        }
        if (w0.equals("RESET") && w1.equals("ALL") || w0.equals("DISCARD")) {
            refuse(s, w0 + " " + w1 + " would reset how psql reads the rest of the file");
        }
        if (w0.equals("COPY")) {
            copy(s);
        }
        if ((w0.equals("GRANT") || w0.equals("REVOKE")) && !hasWord(t, "ON")) {
            refuse(s, w0 + " of role membership changes the server's roles");
        }
        if ((w0.equals("GRANT") || w0.equals("REVOKE")) && hasSequence(t, "ON", "PARAMETER")) {
            refuse(s, w0 + " ON PARAMETER changes the server's configuration privileges");
        }
        if ((w0.equals("COMMENT") || w0.equals("SECURITY")) && (hasSequence(t, "ON", "ROLE")
                || hasSequence(t, "ON", "TABLESPACE"))) {
            refuse(s, w0 + " on a role or tablespace changes the server, not the database");
        }
        if (hasSequence(t, "USER", "MAPPING")) {
            refuse(s, "user mappings let the restore connect to other servers or databases");
        }
        if ((w0.equals("CREATE") || w0.equals("ALTER")) && (hasSequence(t, "FOREIGN", "TABLE") || w1.equals("SERVER"))
                && t.stream().anyMatch(x -> (x.kind() == Kind.WORD || x.kind() == Kind.IDENT)
                && Set.of("program", "filename").contains(x.name()))) {
            refuse(s, "foreign table options program/filename run commands or read files on the server");
        }
        if (hasWord(t, "SUBSCRIPTION") && (w0.equals("CREATE") && !hasSequence(t, "CONNECT", "=", "FALSE")
                || w0.equals("ALTER") && !hasWord(t, "OWNER"))) {
            refuse(s, "a subscription connects to another database");
        }
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).is("LANGUAGE") && UNSAFE_LANGUAGES.contains(t.get(i + 1).name().toLowerCase(Locale.ROOT))) {
                refuse(s, "LANGUAGE " + t.get(i + 1).name() + " can run anything on the server");
            }
        }
        if (t.stream().anyMatch(x -> (x.kind() == Kind.WORD || x.kind() == Kind.IDENT)
                && SHARED_CATALOGS.contains(x.name()))) {
            refuse(s, "it touches a catalog shared by all databases");
        }
        if (w0.equals("SET") && setsLexerState(s)) {
            return Decision.SEND;
        }
        for (Token x : t) {
            Matcher any = x.kind() == Kind.SYMBOL ? null : ANYWHERE.matcher(x.text());
            if (any != null && any.find()) {
                refuse(s, any.group(1).toLowerCase(Locale.ROOT) + " is not allowed in a restore");
            }
            Matcher body = x.kind() == Kind.STRING ? IN_BODIES.matcher(x.text()) : null;
            if (body != null && body.find()) {
                refuse(s, "a string or function body holds " + body.group(1).replaceAll("\\s+", " "));
            }
        }
        return Decision.SEND;
    }

    /** {@code SET standard_conforming_strings = on} and {@code SET client_encoding = 'X'}: the only ways allowed. */
    private static boolean setsLexerState(Statement s) {
        List<Token> t = s.tokens();
        int i = s.word(1).equals("SESSION") || s.word(1).equals("LOCAL") ? 2 : 1;
        if (t.size() != i + 4 || !(t.get(i + 1).text().equals("=") || t.get(i + 1).is("TO"))) {
            return false;
        }
        String name = t.get(i).name();
        String value = t.get(i + 2).text();
        if (name.equals("standard_conforming_strings")) {
            if (!value.equalsIgnoreCase("on") && !value.equalsIgnoreCase("true")) {
                refuse(s, "standard_conforming_strings must stay on");
            }
            return true;
        }
        if (name.equals("client_encoding")) {
            if (CLIENT_ONLY_ENCODING.matcher(value).matches()) {
                refuse(s, "client encoding " + value + " can hide a backslash inside a character");
            }
            return true;
        }
        return false;
    }

    private static void copy(Statement s) {
        List<Token> t = s.tokens();
        int depth = 0;
        for (int i = 1; i < t.size(); i++) {
            Token x = t.get(i);
            if (x.text().equals("(") && x.kind() == Kind.SYMBOL) {
                depth++;
            } else if (x.text().equals(")") && x.kind() == Kind.SYMBOL) {
                depth--;
            } else if (depth == 0 && (x.is("FROM") || x.is("TO"))) {
                Token what = i + 1 < t.size() ? t.get(i + 1) : null;
                if (what != null && (what.is("STDIN") || what.is("STDOUT"))) {
                    return;
                }
                refuse(s, what != null && what.is("PROGRAM") ? "COPY ... PROGRAM runs a shell command"
                        : "COPY with a server file reads or writes the server's files");
            }
        }
        refuse(s, "COPY without STDIN or STDOUT");
    }

    /**
     * Statements on a database: the one the file creates is stripped (the target keeps its own database-level
     * properties), any other is refused. Null when the statement is not one of these.
     */
    private Decision databaseLevel(Statement s) {
        List<Token> t = s.tokens();
        String w0 = s.word(0);
        int at = -1;
        if ((w0.equals("DROP") || w0.equals("CREATE") || w0.equals("ALTER")) && s.word(1).equals("DATABASE")) {
            at = w0.equals("DROP") && s.word(2).equals("IF") && s.word(3).equals("EXISTS") ? 4 : 2;
        } else if (w0.equals("COMMENT") || w0.equals("SECURITY") || w0.equals("GRANT") || w0.equals("REVOKE")) {
            for (int i = 0; i + 2 < t.size() && at < 0; i++) {
                if (t.get(i).is("ON") && t.get(i + 1).is("DATABASE")) {
                    at = i + 2;
                }
            }
        } else if (w0.equals("UPDATE") && s.text().matches("(?s)UPDATE pg_catalog\\.pg_database SET datistemplate ="
                + " (true|false) WHERE datname = '(?:[^']|'')*';")) {
            String name = t.get(t.size() - 2).text();
            return reference(s.line(), name, "UPDATE pg_database");
        }
        if (at < 0) {
            return null;
        }
        if (at >= t.size() || t.get(at).kind() == Kind.SYMBOL || t.get(at).kind() == Kind.STRING) {
            refuse(s, w0 + " on a database it does not name");
        }
        String name = t.get(at).name();
        if (w0.equals("CREATE")) {
            if (preambleOver) {
                throw new Refusal(s.line(), "CREATE DATABASE " + name + " after other statements (only pg_dump"
                        + " --create's preamble may create the database, which is restored as the scratch one)");
            }
            if (created != null && !created.equals(name)) {
                throw new Refusal(s.line(), "CREATE DATABASE " + name + ": the file already creates " + created);
            }
            if (!learning && created == null) {
                throw new Refusal(s.line(), "CREATE DATABASE " + name + " was not in the file when it was checked");
            }
            created = name;
            return Decision.STRIP;
        }
        if ((w0.equals("GRANT") || w0.equals("REVOKE")) && t.size() > at + 1 && t.get(at + 1).text().equals(",")) {
            refuse(s, w0 + " on several databases");
        }
        return reference(s.line(), name, w0 + " ... DATABASE " + name);
    }

    private Decision reference(int line, String name, String what) {
        refer(line, name, what);
        return Decision.STRIP;
    }

    private void refer(int line, String name, String what) {
        if (learning && created == null) {
            deferred.add(new Deferred(line, name, what));
        } else {
            requireCreated(line, name, what);
        }
    }

    private void requireCreated(int line, String name, String what) {
        if (!name.equals(created)) {
            throw new Refusal(line, what + " reaches database " + name + ", outside the restore's scratch database");
        }
    }

    private static boolean hasWord(List<Token> t, String word) {
        return t.stream().anyMatch(x -> x.is(word));
    }

    private static boolean hasSequence(List<Token> t, String... words) {
        for (int i = 0; i + words.length <= t.size(); i++) {
            boolean all = true;
            for (int j = 0; j < words.length && all; j++) {
                Token x = t.get(i + j);
                all = x.kind() == Kind.SYMBOL ? x.text().equals(words[j]) : x.is(words[j]);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(Statement s, String why) {
        throw new Refusal(s.line(), why);
    }
}
