package io.managedb.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ChecksumsTest {
    @Test
    void opensslAndTheJvmGiveTheSameDigestOfAFileWhateverItsName(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bytes);
        // a relative name that looks like an option, with a space and a non-ASCII letter
        Path file = Files.write(dir.resolve("-r é.dump"), bytes);
        Path empty = Files.write(dir.resolve("empty.dump"), new byte[0]);
        String jvm = Checksums.of(file);

        String openssl = new Checksums.Openssl("openssl").sha256(file);
        assumeTrue(openssl != null, "openssl is not on this machine");
        assertThat(openssl).isEqualTo(jvm);
        assertThat(Checksums.ofFile(file)).isEqualTo(jvm);
        assertThat(Checksums.ofFile(empty))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void withoutOpensslOrWhenItFailsTheJvmHashesTheFileAndReportsWhatIsWrongWithIt(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("a.dump"), "PGDMP");
        Checksums.Openssl missing = new Checksums.Openssl(dir.resolve("no-such-openssl").toString());
        assertThat(missing.sha256(file)).isNull();
        assertThat(missing.sha256(file)).as("not looked for again").isNull();

        Checksums.Openssl openssl = new Checksums.Openssl("openssl");
        Path gone = dir.resolve("gone.dump");
        assertThat(openssl.sha256(gone)).as("openssl fails: no answer").isNull();
        assertThatThrownBy(() -> Checksums.ofFile(gone)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
