package io.managedb.backup;

import io.managedb.files.Checksums;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.pg.ProcessSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Feeds a tool's stdin with an archive that it cannot read as a file: an encrypted one's plaintext, decrypted as it
 * streams (never to disk), or one streamed from object storage; the plaintext is hashed on the way. An encrypted
 * file is always read to its end, even when the tool stops reading early, so that age's authentication covers every
 * chunk and the plaintext's SHA-256 can be compared with the manifest's afterwards; an unencrypted one stops when
 * the tool does ({@code pg_restore --list} reads only the table of contents; its checksum is checked apart).
 */
final class PlaintextFeed implements ProcessSpec.StdinWriter {
    private final Archive archive;
    private final MessageDigest digest = Checksums.sha256();
    private volatile RuntimeException failure;
    private volatile boolean complete;

    PlaintextFeed(Archive archive) {
        this.archive = archive;
    }

    @Override
    public void writeTo(OutputStream stdin) throws IOException {
        InputStream opened;
        try {
            opened = archive.openRaw();
        } catch (RuntimeException e) {
            failure = e; // the store refused (an object changed since it was checked, say): reported first
            return;
        }
        try (InputStream raw = opened) {
            InputStream in;
            try {
                in = archive.plaintext(raw);
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
            boolean writeFailure = false;
            byte[] buffer = new byte[1 << 16];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    failure = damaged(e);
                    return;
                }
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                if (!writeFailure) {
                    try {
                        stdin.write(buffer, 0, n);
                    } catch (IOException e) {
                        writeFailure = true; // the tool stopped reading: its exit status tells why
                        if (!archive.encrypted()) {
                            break; // nothing to authenticate: the rest (of a download) need not be read
                        }
                    }
                }
            }
            // a tool that stopped reading (pg_restore --list needs only the table of contents) says by its exit
            // status whether it had what it needed
            complete = true;
        }
    }

    private ManageDbException damaged(IOException e) {
        return new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                + " does not decrypt: its age stream is damaged or truncated (" + e.getMessage() + ")", e);
    }

    /**
     * Runs the tool fed by this stream, then reports a decryption failure (before the tool's own complaint about
     * its cut input) or a plaintext that does not match the manifest. Exit 7 either way.
     */
    <T> T around(Supplier<T> run) {
        T result;
        try {
            result = run.get();
        } catch (RuntimeException e) {
            if (failure != null) {
                throw failure;
            }
            throw e;
        }
        check();
        return result;
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
        if (!complete) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                    + " was not read to its end");
        }
        Manifest m = archive.manifest();
        if (m != null && m.plaintextSha256() != null
                && !HexFormat.of().formatHex(digest.digest()).equals(m.plaintextSha256())) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + archive.address()
                    + " decrypts to content that does not match the plaintext SHA-256 in its manifest");
        }
    }
}
