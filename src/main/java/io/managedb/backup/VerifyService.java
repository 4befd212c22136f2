package io.managedb.backup;

import io.managedb.db.ScratchDatabase;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.pg.PgTools;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verifies a backup: checksum against its manifest and readability by the local pg_restore; with {@code deep}, a
 * restore into a scratch database whose per-table row counts are compared with the manifest's, after which the
 * scratch database is dropped.
 */
public final class VerifyService {
    private final PgTools tools;

    public VerifyService(PgTools tools) {
        this.tools = tools;
    }

    /**
     * @param server for {@code deep}: the environment whose server hosts the scratch database
     */
    public VerifyResult verify(Archive archive, boolean deep, Environment server, Progress progress) {
        List<VerifyResult.Check> checks = new ArrayList<>();
        Manifest m = archive.manifest();
        checks.add(new VerifyResult.Check("manifest", m != null, m != null ? "present"
                : "missing: not a complete manage-db backup"));
        boolean intact = run(checks, "checksum", m == null ? null : "size and SHA-256 match the manifest",
                archive::checkChecksum);
        if (archive.decryptable()) {
            intact &= run(checks, "readable", archive.encrypted()
                    ? "decrypted as a stream; the local tools read the whole archive" + (m != null
                    && m.plaintextSha256() != null ? ", the plaintext matches the manifest's SHA-256" : "")
                    : "the local tools read the whole archive", () -> archive.checkReadable(tools));
        } else {
            // without the identity, the ciphertext's checksum above is what can be checked
            checks.add(new VerifyResult.Check("readable", true, "not checked: the backup is encrypted and"
                    + " MANAGE_DB_BACKUP_IDENTITY is not set"));
        }
        if (deep) {
            if (!archive.decryptable()) {
                checks.add(new VerifyResult.Check("deep", false, "cannot restore: the backup is encrypted and"
                        + " MANAGE_DB_BACKUP_IDENTITY is not set"));
            } else if (!intact) {
                checks.add(new VerifyResult.Check("deep", false, "skipped: the archive is damaged"));
            } else {
                run(checks, "deep", null, () -> {
                    String detail = deepCheck(archive, server.target(), progress);
                    checks.add(new VerifyResult.Check("deep", true, detail));
                });
            }
        }
        boolean ok = checks.stream().allMatch(VerifyResult.Check::ok);
        return new VerifyResult(archive.address(), ok, checks);
    }

    private static boolean run(List<VerifyResult.Check> checks, String name, String okDetail, Runnable check) {
        try {
            check.run();
            if (okDetail != null) {
                checks.add(new VerifyResult.Check(name, true, okDetail));
            }
            return true;
        } catch (ManageDbException e) {
            checks.add(new VerifyResult.Check(name, false, e.getMessage()));
            return false;
        }
    }

    private String deepCheck(Archive archive, Target server, Progress progress) {
        return ScratchDatabase.with(server, "verify", true, tools.runner(), scratchTarget -> {
            new ArchiveRestorer(tools).restore(archive, scratchTarget, 1, false, progress);
            Map<String, Long> expected = archive.manifest() == null ? null : archive.manifest().rowCounts();
            if (expected == null) {
                return "restored into a scratch database (no row counts recorded to compare)";
            }
            Map<String, Long> actual;
            try (Connection c = Connections.open(scratchTarget)) {
                actual = Catalog.rowCounts(c);
            } catch (SQLException e) {
                throw Connections.translate(scratchTarget, e);
            }
            Catalog.countMismatch(expected, actual).ifPresent(m -> {
                throw ManageDbException.failed("table " + m.table() + " has " + m.actual()
                        + " rows after restore, the manifest recorded " + m.expected(), null);
            });
            return "restored into a scratch database; row counts of " + expected.size() + " tables match";
        });
    }
}
