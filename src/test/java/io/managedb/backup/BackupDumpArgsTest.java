package io.managedb.backup;

import io.managedb.pg.DumpScope;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** pg_dump's arguments for every backup a command can ask for: format x scope x jobs x compress. */
class BackupDumpArgsTest {
    private static final Path PARTIAL = Path.of("/b/dev_app_20240101T000000Z.dir.partial");

    private static List<String> args(BackupFormat f, DumpScope s, int jobs, Integer compress) {
        return BackupService.dumpArgs(new BackupOptions(null, f, jobs, s, null, compress, false, Duration.ZERO),
                "00000003-0000001B-1", PARTIAL);
    }

    @Test
    void defaults() {
        assertThat(BackupService.dumpArgs(BackupOptions.defaults(), "S", PARTIAL))
                .containsExactly("--format=c", "--verbose", "--snapshot=S");
        assertThat(BackupService.dumpArgs(BackupOptions.safety("pre-restore"), "S", PARTIAL))
                .containsExactly("--format=c", "--verbose", "--snapshot=S");
    }

    @Test
    void everyCombination() {
        for (BackupFormat f : BackupFormat.values()) {
            for (DumpScope s : DumpScope.values()) {
                for (int jobs : f == BackupFormat.DIRECTORY ? new int[] {1, 3} : new int[] {1}) {
                    for (Integer compress : new Integer[] {null, 0, 5}) {
                        List<String> expected = new ArrayList<>(List.of("--format=" + f.dumpFormat().code(), "--verbose",
                                "--snapshot=00000003-0000001B-1"));
                        if (compress != null) {
                            expected.add("--compress=" + compress);
                        } else if (f == BackupFormat.PLAIN) {
                            expected.add("--compress=6");
                        }
                        if (jobs > 1) {
                            expected.add("--jobs=" + jobs);
                        }
                        if (s == DumpScope.SCHEMA_ONLY) {
                            expected.add("--schema-only");
                        } else if (s == DumpScope.DATA_ONLY) {
                            expected.add("--data-only");
                        }
                        if (f == BackupFormat.DIRECTORY) {
                            expected.add("--file=" + PARTIAL);
                        }
                        assertThat(args(f, s, jobs, compress)).as("%s %s jobs %d compress %s", f, s, jobs, compress)
                                .containsExactlyElementsOf(expected);
                    }
                }
            }
        }
    }

    @Test
    void examples() {
        assertThat(args(BackupFormat.PLAIN, DumpScope.FULL, 1, null))
                .containsExactly("--format=p", "--verbose", "--snapshot=00000003-0000001B-1", "--compress=6");
        assertThat(args(BackupFormat.DIRECTORY, DumpScope.DATA_ONLY, 4, 0))
                .containsExactly("--format=d", "--verbose", "--snapshot=00000003-0000001B-1", "--compress=0",
                        "--jobs=4", "--data-only", "--file=" + PARTIAL);
    }
}
