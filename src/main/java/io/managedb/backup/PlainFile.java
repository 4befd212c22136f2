package io.managedb.backup;

import io.managedb.files.Checksums;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.backup.PlainScript.CopyData;
import io.managedb.backup.PlainScript.Piece;
import io.managedb.backup.PlainScript.Refusal;
import io.managedb.backup.PlainScript.Statement;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A plain SQL backup read the safe way. {@link #check} reads it once before psql sees a byte: SHA-256 of the raw
 * bytes (against the manifest when there is one), every statement and meta-command vetted by {@link SqlVetter}, and
 * pg_dump's completion trailer. {@link #stream} then sends psql only complete, vetted statements and COPY data,
 * vetting and hashing again, and fails if the file changed in between.
 */
final class PlainFile {
    private static final String PLAIN_TRAILER = "-- PostgreSQL database dump complete";

    /** What the first read found: the raw bytes' SHA-256 and the database the file creates (or null). */
    record Checked(String sha256, String created) {
    }

    private PlainFile() {
    }

    /** Reads pg_dump's trailer only (for a backup manage-db has just made), no vetting. */
    static void checkComplete(Archive archive) {
        read(archive, false);
    }

    /** The one read before a restore: checksum, vetting, trailer. Exit 7 on any problem. */
    static Checked check(Archive archive) {
        return read(archive, true);
    }

    private static Checked read(Archive archive, boolean vet) {
        MessageDigest digest = Checksums.sha256();
        MessageDigest plainDigest = Checksums.sha256();
        RuntimeException problem = null;
        String last = null;
        SqlVetter vetter = SqlVetter.learning();
        try (DigestInputStream raw = new DigestInputStream(archive.openRaw(), digest)) {
            // an encrypted file is decrypted as it is read: its raw bytes (hashed above) are the ciphertext
            DigestInputStream plain = new DigestInputStream(archive.plaintext(raw), plainDigest);
            try {
                PlainScript script = new PlainScript(sql(archive, plain));
                for (Piece p = script.next(); p != null; p = script.next()) {
                    if (vet) {
                        vetter.check(p);
                    }
                }
                if (vet) {
                    vetter.finish();
                }
                last = script.lastContentLine();
            } catch (Refusal e) {
                problem = refusal(archive, e);
            } catch (IOException e) {
                problem = new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                        + " is not readable: " + e.getMessage(), e);
            }
            // finish the hashes, so that a changed file is reported as such rather than by what changed in it
            if (problem == null) {
                try {
                    plain.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    problem = new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                            + " is not readable: " + e.getMessage(), e);
                }
            }
            raw.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + archive.address() + ": "
                    + e.getMessage(), e);
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        Manifest m = archive.manifest();
        if (m != null && vet && !sha.equals(m.sha256())) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                    + " does not match the SHA-256 in its manifest (corrupted or changed)");
        }
        if (problem != null) {
            throw problem;
        }
        if (m != null && vet && m.plaintextSha256() != null
                && !HexFormat.of().formatHex(plainDigest.digest()).equals(m.plaintextSha256())) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                    + " decrypts to content that does not match the plaintext SHA-256 in its manifest");
        }
        if (last == null || !last.startsWith(PLAIN_TRAILER)) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                    + " is incomplete: pg_dump's completion line is missing");
        }
        return new Checked(sha, vetter.created());
    }

    /**
     * Writes what psql may run: optionally {@code \restrict KEY} first (psql then refuses any backslash command
     * but <code>&#92;unrestrict KEY</code>), then the vetted statements and COPY data, ownership and privileges left out
     * unless kept. Throws (exit 7) if the file no longer matches {@code checked}.
     */
    static void stream(Archive archive, Checked checked, OutputStream psql, boolean keepOwnership,
                       String restrictKey) throws IOException {
        MessageDigest digest = Checksums.sha256();
        SqlVetter vetter = SqlVetter.knowing(checked.created());
        // psql runs an unterminated buffer at EOF: only whole pieces ever reach its stdin
        StringBuilder pending = new StringBuilder(1 << 17);
        if (restrictKey != null) {
            pending.append("\\restrict ").append(restrictKey).append('\n');
        }
        pending.append("SET standard_conforming_strings = on;\n");
        try (DigestInputStream raw = new DigestInputStream(archive.openRaw(), digest)) {
            PlainScript script = new PlainScript(sql(archive, archive.plaintext(raw)));
            try {
                for (Piece p = script.next(); p != null; p = script.next()) {
                    if (vetter.check(p) == SqlVetter.Decision.STRIP) {
                        continue;
                    }
                    if (p instanceof Statement s && (keepOwnership || !ownerOrAcl(s))) {
                        pending.append(s.text()).append('\n');
                    } else if (p instanceof CopyData d) {
                        pending.append(d.text()).append('\n');
                    }
                    if (pending.length() >= 1 << 16) {
                        send(pending, psql);
                    }
                }
                vetter.finish();
            } catch (Refusal e) {
                throw changed(archive);
            }
            raw.transferTo(OutputStream.nullOutputStream());
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(checked.sha256())) {
            throw changed(archive);
        }
        send(pending, psql);
        psql.flush();
    }

    private static void send(StringBuilder pending, OutputStream psql) throws IOException {
        psql.write(pending.toString().getBytes(StandardCharsets.ISO_8859_1));
        pending.setLength(0);
    }

    private static ManageDbException changed(Archive archive) {
        return new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                + " changed while it was being restored; nothing was swapped in");
    }

    private static ManageDbException refusal(Archive archive, Refusal e) {
        return new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.name() + " line "
                + e.line + ": " + e.getMessage() + "; nothing was run", e);
    }

    /** Ownership and privilege statements, left out unless ownership is kept (never inside COPY data). */
    static boolean ownerOrAcl(Statement s) {
        String w0 = s.word(0);
        List<PlainScript.Token> t = s.tokens();
        int n = t.size();
        return w0.equals("GRANT") || w0.equals("REVOKE")
                || w0.equals("ALTER") && s.word(1).equals("DEFAULT") && s.word(2).equals("PRIVILEGES")
                || w0.equals("ALTER") && n >= 4 && t.get(n - 4).is("OWNER") && t.get(n - 3).is("TO");
    }

    private static InputStream sql(Archive archive, InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }
}
