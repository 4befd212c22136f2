package io.managedb.testing;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Passwords that break naive URL parsing (reserved characters, the examples of the issue that made them leak), and
 * helpers to put them into URLs and to look for any fragment of them in output.
 */
public final class NastyPasswords {
    /** Each is valid unencoded in the user info unless {@link #validRaw} says otherwise. */
    public static final List<String> ALL = List.of(
            "hunter2/x",
            "s3cr3t@pa55:w0rd",
            "Topsecret@127.0.0.1:1/x",
            "pa ss w0rd #1",
            "q?u3st!0n#h4sh",
            "a?b=c&d@e",
            "::@@//??##",
            "trailing-colon:",
            "slash/at@colon:quest?hash#",
            "100%sure",
            "p%41ss%zz",
            "日本語パスワード");

    private NastyPasswords() {
    }

    /** Percent-decoding would change or reject the password, so it only works percent-encoded. */
    public static boolean validRaw(String password) {
        return password.indexOf('%') < 0;
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters. */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Every 4-character substring (any longer echo of the password contains one), or the password if shorter. */
    public static Set<String> fragments(String password) {
        Set<String> fragments = new LinkedHashSet<>();
        int[] cps = password.codePoints().toArray();
        if (cps.length < 4) {
            fragments.add(password);
        }
        for (int i = 0; i + 4 <= cps.length; i++) {
            fragments.add(new String(cps, i, 4));
        }
        return fragments;
    }

    /** The first fragment of the password found in text, or null. */
    public static String leaked(String text, String password) {
        return fragments(password).stream().filter(text::contains).findFirst().orElse(null);
    }
}
