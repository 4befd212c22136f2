package io.managedb.backup;

import io.managedb.files.Checksums;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Config;
import io.managedb.config.Setting;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The age keys of backups: the recipients every new backup is encrypted to (X25519 public keys {@code age1...},
 * from {@code MANAGE_DB_BACKUP_RECIPIENTS}), and the identity file that decrypts them
 * ({@code MANAGE_DB_BACKUP_IDENTITY}). The identity is read only when a backup must be decrypted, and its content
 * never appears in a message.
 *
 * @param recipients   the public keys, empty when backups are not encrypted
 * @param identityFile the identity file, or null when none is configured
 */
public record BackupKeys(List<String> recipients, Path identityFile) {
    /** No encryption, no identity. */
    public static final BackupKeys NONE = new BackupKeys(List.of(), null);

    /** The header every age file starts with. */
    static final byte[] AGE_MAGIC = "age-encryption.org/v1\n".getBytes(StandardCharsets.US_ASCII);
    /** What encrypted backups' names end with. */
    public static final String SUFFIX = ".age";

    public BackupKeys {
        recipients = List.copyOf(recipients);
    }

    /** The keys a configuration names (both settings validated at load, see {@link #parseRecipients}). */
    public static BackupKeys of(Config config) {
        String value = config.settings().get(Setting.BACKUP_RECIPIENTS.key());
        List<String> recipients = value == null || value.isBlank() ? List.of()
                : parseRecipients(Setting.BACKUP_RECIPIENTS.key(), value.strip(), config.baseDir());
        String identity = config.settings().get(Setting.BACKUP_IDENTITY.key());
        Path identityFile = identity == null || identity.isBlank() ? null
                : config.baseDir().resolve(identity.strip()).normalize();
        return new BackupKeys(recipients, identityFile);
    }

    /**
     * Recipients from a setting's value: {@code age1...} keys separated by commas or spaces, or the path of a file
     * holding one per line ({@code #} comments, as {@code age -R} reads). Exit 3 naming the key when one is invalid.
     */
    public static List<String> parseRecipients(String key, String value, Path baseDir) {
        List<String> items;
        if (value.startsWith("age1")) {
            items = Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        } else {
            Path file = baseDir.resolve(value).normalize();
            try {
                items = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            } catch (IOException e) {
                throw ManageDbException.config(key + ": cannot read the recipients file " + file + ": "
                        + e.getMessage());
            }
            if (items.isEmpty()) {
                throw ManageDbException.config(key + ": the recipients file " + file + " holds no age1... key");
            }
        }
        for (String r : items) {
            try {
                X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw ManageDbException.config(key + ": '" + r + "' is not an age X25519 recipient (age1...)");
            }
        }
        return items;
    }

    public boolean encrypts() {
        return !recipients.isEmpty();
    }

    public boolean canDecrypt() {
        return identityFile != null;
    }

    /** What the manifest records of the recipients: {@code sha256:} and 16 hex digits of each key, never the key. */
    public List<String> fingerprints() {
        return recipients.stream().map(BackupKeys::fingerprint).toList();
    }

    static String fingerprint(String recipient) {
        byte[] hash = Checksums.sha256().digest(recipient.getBytes(StandardCharsets.US_ASCII));
        return "sha256:" + HexFormat.of().formatHex(hash, 0, 8);
    }

    /**
     * An age stream to the recipients over {@code out}. Closing it writes the last chunk and flushes {@code out},
     * but leaves {@code out} open (the caller fsyncs and closes its file).
     */
    public OutputStream encrypt(OutputStream out) throws IOException {
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        try {
            for (String r : recipients) {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r));
            }
            OutputStream keepOpen = new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            };
            return Channels.newOutputStream(new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(keepOpen), writers));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start age encryption: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of an age stream, decrypted with the identity file. Exit 3 when no identity is configured or
     * it cannot be read; exit 7 when it does not match the file's recipients or the header is damaged. Damage
     * further on surfaces as an {@link IOException} while reading.
     *
     * @param what names the backup in messages
     */
    public InputStream decrypt(InputStream ciphertext, String what) {
        if (identityFile == null) {
            throw ManageDbException.config(what + " is encrypted: set " + Setting.BACKUP_IDENTITY.key()
                    + " to the file holding its age identity");
        }
        List<RecipientStanzaReader> readers = identities();
        try {
            return Channels.newInputStream(new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(ciphertext), readers));
        } catch (GeneralSecurityException | IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot decrypt " + what + " with "
                    + Setting.BACKUP_IDENTITY.key() + " " + identityFile
                    + ": no identity in it matches the backup's recipients, or the age header is damaged", e);
        }
    }

    private List<RecipientStanzaReader> identities() {
        String key = Setting.BACKUP_IDENTITY.key();
        List<String> lines;
        try {
            lines = Files.readAllLines(identityFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ManageDbException.config(key + ": cannot read " + identityFile + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        List<RecipientStanzaReader> readers = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("AGE-SECRET-KEY-1")) {
                try {
                    readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(l));
                } catch (GeneralSecurityException | RuntimeException e) {
                    // the message might quote the key: say only where it is
                    throw ManageDbException.config(key + ": " + identityFile + " holds an invalid age identity");
                }
            }
        }
        if (readers.isEmpty()) {
            throw ManageDbException.config(key + ": " + identityFile + " holds no age identity (AGE-SECRET-KEY-1...)");
        }
        return readers;
    }

    /** Whether these bytes start an age file. */
    static boolean isAge(byte[] head) {
        return head.length >= AGE_MAGIC.length && Arrays.equals(head, 0, AGE_MAGIC.length, AGE_MAGIC, 0,
                AGE_MAGIC.length);
    }
}
