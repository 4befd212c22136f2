package io.managedb.config;

import io.managedb.core.ManageDbException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them in settings: {@code 90s}, {@code 90m}, {@code 26h}, {@code 2d}, {@code 1w}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*([smhdw])");

    private Durations() {
    }

    /**
     * Parses {@code value}; blank is null (not set). Anything else is a configuration error (exit 3) naming
     * {@code key}.
     */
    public static Duration parse(String key, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw ManageDbException.config(key + ": expected a positive duration such as 90m, 26h or 2d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** A short form for messages: {@code 26h}, {@code 90m}, {@code 2d}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** An age for messages, rounded down: {@code 45s}, {@code 90m}, {@code 26h}, {@code 3d}. */
    public static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        return s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
    }
}
