package io.managedb.storage;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.testing.S3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stored object read once is read again only as that version (If-Match on its ETag), so that a restore from a
 * bucket hashes the archive once and then streams the very bytes it hashed, or fails (exit 7) if they changed.
 */
class S3VersionTest {
    @TempDir
    Path tmp;

    @Test
    void anObjectIsReadAgainOnlyAsTheVersionFirstRead() throws Exception {
        S3Server s3 = S3Server.get();
        String bucket = s3.createBucket("mdb-" + UUID.randomUUID().toString().substring(0, 8));
        String location = "s3://" + bucket + "/backups/";
        S3Repository repo = S3Repository.open(S3Location.parse(location), S3Settings.of(s3.settings(location)), tmp);
        put(s3, bucket, "first");

        Repository.Opened first = repo.openVersion("a.dump");
        assertThat(read(first.in())).isEqualTo("first");
        assertThat(first.version()).isNotBlank();
        assertThat(read(repo.open("a.dump", first.version()))).isEqualTo("first");

        put(s3, bucket, "second, replaced");
        assertThatThrownBy(() -> repo.open("a.dump", first.version()).close())
                .isInstanceOfSatisfying(ManageDbException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.CHECK_FAILED);
                    assertThat(e.getMessage()).contains("a.dump has changed since it was checked");
                });
        assertThat(read(repo.open("a.dump", null))).isEqualTo("second, replaced");
        Repository.Opened second = repo.openVersion("a.dump");
        assertThat(read(second.in())).isEqualTo("second, replaced");
        assertThat(second.version()).isNotEqualTo(first.version());
    }

    private static void put(S3Server s3, String bucket, String content) {
        s3.client().putObject(b -> b.bucket(bucket).key("backups/a.dump"), RequestBody.fromString(content));
    }

    private static String read(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
