package io.managedb.storage;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.UnknownHostException;
import java.util.Set;

/**
 * Object storage errors as manage-db reports them, in one line naming the bucket and endpoint and never a key: a
 * bucket or endpoint that does not exist, or no credentials at all, is a configuration error (exit 3); refused
 * credentials and an unreachable endpoint are exit 4.
 */
final class S3Errors {
    private static final Set<String> REFUSED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "InvalidSecurity");

    private final String bucket;
    private final String endpoint;

    S3Errors(String bucket, String endpoint) {
        this.bucket = bucket;
        this.endpoint = endpoint;
    }

    static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    ManageDbException translate(String what, SdkException e) {
        String where = "bucket " + bucket + " at " + endpoint;
        if (e instanceof S3Exception s) {
            String code = code(s);
            if ("NoSuchBucket".equals(code)) {
                return new ManageDbException(ExitCode.CONFIG, where + ": no such bucket (create it, or fix"
                        + " MANAGE_DB_BACKUP_DIR)", e);
            }
            if (s.statusCode() == 403 || REFUSED.contains(code)) {
                return new ManageDbException(ExitCode.UNREACHABLE, where + ": access refused (" + s.statusCode()
                        + (code == null ? "" : " " + code) + "): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or"
                        + " AWS_PROFILE", e);
            }
            return ManageDbException.failed("cannot " + what + " (" + where + "): " + s.statusCode()
                    + (code == null ? "" : " " + code), e);
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof SdkClientException && (message.contains("Unable to load credentials")
                || message.contains("contained no credentials"))) {
            return new ManageDbException(ExitCode.CONFIG, where + ": no credentials: set AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY, or AWS_PROFILE", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new ManageDbException(ExitCode.CONFIG, where + ": unknown host (check MANAGE_DB_S3_ENDPOINT)",
                        e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new ManageDbException(ExitCode.UNREACHABLE, where + ": unreachable ("
                + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
                + ")", e);
    }
}
