package io.managedb.masking;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Column names that suggest personal data (MANAGE_DB_PERSONAL_COLUMNS). A plain pattern matches where it starts a
 * word of the name: {@code birth} matches {@code birth_date} and {@code date_of_birth}, {@code ssn} does not match
 * {@code classname}; a pattern with {@code *} or {@code ?} is a glob over the whole name. Case does not matter.
 */
public final class PersonalColumns {
    private final List<Pattern> patterns;

    public PersonalColumns(List<String> patterns) {
        this.patterns = patterns.stream().map(String::strip).filter(p -> !p.isEmpty()).map(PersonalColumns::compile)
                .toList();
    }

    private static Pattern compile(String p) {
        String lower = p.toLowerCase(Locale.ROOT);
        if (lower.contains("*") || lower.contains("?")) {
            StringBuilder re = new StringBuilder();
            for (char c : lower.toCharArray()) {
                re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            return Pattern.compile(re.toString());
        }
        return Pattern.compile("(^|.*[^a-z0-9])" + Pattern.quote(lower) + ".*");
    }

    public boolean matches(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(p -> p.matcher(c).matches());
    }
}
