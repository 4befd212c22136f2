package io.managedb.masking;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA256 of the masking secret over a transformer's seed name and a value: the same input always gives the
 * same output, and without the secret the output says nothing about the input. One {@link Mac} per thread.
 */
final class Seeds {
    private final ThreadLocal<Mac> macs;

    Seeds(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    /** HMAC of the parts, each followed by a NUL (so that ("ab", "c") and ("a", "bc") differ). */
    byte[] hmac(String... parts) {
        Mac mac = macs.get();
        for (String p : parts) {
            mac.update(p.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
        }
        return mac.doFinal();
    }

    long seed(String... parts) {
        return ByteBuffer.wrap(hmac(parts)).getLong();
    }
}
