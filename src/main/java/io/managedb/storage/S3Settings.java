package io.managedb.storage;

import io.managedb.config.Setting;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reach object storage, from the settings (the .env file and the process environment): the endpoint
 * ({@code MANAGE_DB_S3_ENDPOINT}, none for AWS), the region, and the credentials of the standard chain
 * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}, else {@code AWS_PROFILE} in
 * {@code ~/.aws/credentials}). Its {@code toString} never shows a secret.
 */
public record S3Settings(URI endpoint, String region, Map<String, String> settings) {
    /** The region when neither MANAGE_DB_S3_REGION nor AWS_REGION is set. */
    static final String DEFAULT_REGION = "us-east-1";

    public static S3Settings of(Map<String, String> settings) {
        String endpoint = value(settings, Setting.S3_ENDPOINT.key());
        String region = first(settings, Setting.S3_REGION.key(), "AWS_REGION", "AWS_DEFAULT_REGION");
        return new S3Settings(endpoint == null ? null : URI.create(endpoint), region == null ? DEFAULT_REGION : region,
                Map.copyOf(settings));
    }

    /** The endpoint as messages show it: scheme, host and port only; "AWS S3 (region)" for none. */
    public String shownEndpoint() {
        if (endpoint == null) {
            return "AWS S3 (" + region + ")";
        }
        return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
    }

    String get(String key) {
        return value(settings, key);
    }

    /** ~/.aws/credentials, or AWS_SHARED_CREDENTIALS_FILE, with HOME from the settings. */
    Path credentialsFile() {
        String file = get("AWS_SHARED_CREDENTIALS_FILE");
        if (file != null) {
            return Path.of(file);
        }
        String home = get("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"), ".aws", "credentials");
    }

    private static String first(Map<String, String> settings, String... keys) {
        for (String k : keys) {
            String v = value(settings, k);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String value(Map<String, String> settings, String key) {
        String v = settings.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    @Override
    public String toString() {
        return "S3Settings[" + shownEndpoint() + "]";
    }
}
