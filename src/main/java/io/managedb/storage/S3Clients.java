package io.managedb.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the S3 client: the JDK's URLConnection for HTTP, the credentials of the standard chain from the settings. */
final class S3Clients {
    private S3Clients() {
    }

    static S3Client build(S3Settings settings) {
        S3ClientBuilder b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)).build())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                // our own SHA-256 covers the content; S3-compatible services differ in the checksums they accept
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            // an S3-compatible service rarely has a DNS name per bucket: path-style addressing
            b.endpointOverride(settings.endpoint()).forcePathStyle(true);
        }
        return b.build();
    }

    /**
     * The standard chain, read from manage-db's settings (the .env file and the process environment) rather than
     * this JVM's environment: access key and secret (and session token), else the profile AWS_PROFILE (or
     * default) of the credentials file, else the SDK's default chain (container and instance roles).
     */
    static AwsCredentialsProvider credentials(S3Settings s) {
        String id = s.get("AWS_ACCESS_KEY_ID");
        String secret = s.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
            String token = s.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null ? AwsBasicCredentials.create(id, secret)
                    : AwsSessionCredentials.create(id, secret, token));
        }
        Path file = s.credentialsFile();
        String profile = s.get("AWS_PROFILE");
        if (Files.isRegularFile(file)) {
            return ProfileCredentialsProvider.builder()
                    .profileFile(ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build())
                    .profileName(profile == null ? "default" : profile).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
