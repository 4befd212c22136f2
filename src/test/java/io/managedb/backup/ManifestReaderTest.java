package io.managedb.backup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming reader reads back exactly what the mapper writes, and refuses what is not a manifest. */
class ManifestReaderTest {
    private static Manifest full() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("public.orders", 830L);
        counts.put("we\"ird.ta\\ble", 0L);
        return new Manifest(1, "prod_app_20261201T000000Z.dump.age", "prod", "app", "15.20", "15.20", "custom", "full",
                123456789012L, "ab".repeat(32), Instant.parse("2026-12-01T00:00:00.123456Z"),
                Instant.parse("2026-12-01T00:00:07Z"), 7.25, "42", "0.1.0", "nightly ✓", true, counts,
                new Manifest.Encryption("age", List.of("sha256:0123456789abcdef")), "cd".repeat(32));
    }

    @Test
    void readsBackWhatIsWritten() throws IOException {
        Manifest m = full();
        assertThat(ManifestReader.read(Manifests.bytes(m))).isEqualTo(m);
        Manifest minimal = new Manifest(1, "f.dump", "dev", "app", null, null, "custom", "schema-only", 0, "x", null,
                null, 0, null, null, null, false, null, null, null);
        assertThat(ManifestReader.read(Manifests.bytes(minimal))).isEqualTo(minimal);
    }

    @Test
    void skipsUnknownFieldsAndTakesMissingOnesAsEmpty() throws IOException {
        Manifest m = ManifestReader.read(("{\"future\": {\"a\": [1, {\"b\": 2}]}, \"file\": \"f.dump\","
                + " \"sizeBytes\": 5, \"durationSeconds\": 3, \"later\": [\"x\"], \"note\": \"n\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(m.file()).isEqualTo("f.dump");
        assertThat(m.sizeBytes()).isEqualTo(5);
        assertThat(m.durationSeconds()).isEqualTo(3.0);
        assertThat(m.environment()).isNull();
        assertThat(m.rowCounts()).isNull();
        assertThat(m.safety()).isFalse();
    }

    @Test
    void refusesWhatIsNotAManifest() {
        for (String bad : List.of("", "[]", "{\"file\": \"f\"", "{\"sizeBytes\": \"5\"}", "{\"safety\": 1}",
                "{\"startedAt\": \"yesterday\"}", "{\"rowCounts\": {\"t\": \"many\"}}", "{\"file\": 3}", "null")) {
            assertThatThrownBy(() -> ManifestReader.read(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(IOException.class);
        }
    }
}
