package io.managedb.masking;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA256 of the masking secret over a transformer's seed name and a value: the same input always gives the
 * same output, and without the secret the output says nothing about the input. One {@link Mac} per thread, and one
 * buffer that ASCII text is written into instead of a new byte array per part (the relay hashes every row).
 */
final class Seeds {
    private static final int BUFFER = 512;

    /** A thread's Mac and buffer. */
    private record State(Mac mac, byte[] buffer) {
    }

    private final ThreadLocal<State> states;

    Seeds(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        states = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return new State(mac, new byte[BUFFER]);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    /** HMAC of the parts, each followed by a NUL (so that ("ab", "c") and ("a", "bc") differ). */
    byte[] hmac(String... parts) {
        return update(states.get(), parts).doFinal();
    }

    long seed(String... parts) {
        State state = states.get();
        Mac mac = update(state, parts);
        byte[] out = state.buffer();
        try {
            mac.doFinal(out, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return ByteBuffer.wrap(out).getLong();
    }

    private static Mac update(State state, String... parts) {
        Mac mac = state.mac();
        byte[] buffer = state.buffer();
        for (String p : parts) {
            int n = p.length();
            int ascii = 0;
            if (n < BUFFER) {
                while (ascii < n && p.charAt(ascii) < 0x80) {
                    buffer[ascii] = (byte) p.charAt(ascii);
                    ascii++;
                }
            }
            if (ascii == n) {
                buffer[n] = 0; // the same bytes as UTF-8 and the NUL after them
                mac.update(buffer, 0, n + 1);
            } else {
                mac.update(p.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
        }
        return mac;
    }
}
