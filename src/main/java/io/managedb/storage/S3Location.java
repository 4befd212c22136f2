package io.managedb.storage;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/prefix} location: the bucket and the key prefix (empty, or ending with {@code /}).
 *
 * @param prefix the keys' common start, {@code ""} or {@code "some/path/"}
 */
public record S3Location(String bucket, String prefix) {
    private static final Pattern URL = Pattern.compile("(?i)s3://([^/]*)(/.*)?");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** Whether a setting's value names object storage rather than a directory. */
    public static boolean isUrl(String value) {
        return value != null && value.strip().toLowerCase(Locale.ROOT).startsWith("s3://");
    }

    /** Parses {@code s3://bucket[/prefix]}; IllegalArgumentException saying what is wrong. */
    public static S3Location parse(String url) {
        Matcher m = URL.matcher(url.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected s3://bucket/prefix");
        }
        String bucket = m.group(1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException(bucket.isEmpty() ? "s3:// names no bucket"
                    : "'" + bucket + "' is not a bucket name (3-63 lower-case letters, digits, '.', '-')");
        }
        String path = m.group(2) == null ? "" : m.group(2).replaceAll("/+", "/").replaceFirst("^/", "");
        if (!path.isEmpty() && !path.endsWith("/")) {
            path = path + "/";
        }
        return new S3Location(bucket, path);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
