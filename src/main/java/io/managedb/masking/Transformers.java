package io.managedb.masking;

import io.managedb.core.ManageDbException;
import io.managedb.db.Sql;
import net.datafaker.Faker;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;

/**
 * The transformers. {@code null}, {@code constant} and {@code sql} become expressions of the source's
 * {@code COPY (SELECT ...)}; the others run in this JVM on the text rows, seeded from {@link Seeds}.
 */
final class Transformers {
    /** A JVM transformer: the value (null for NULL) and the row's key (its primary key's text) to the masked value. */
    interface Fn {
        String apply(String value, String rowKey);
    }

    /** A faker per thread whose random source is reseeded for every value. */
    private static final class Fakes {
        final Random random = new Random();
        final Faker faker = new Faker(Locale.ENGLISH, random);
    }

    private final Seeds seeds;
    private final ThreadLocal<Fakes> fakes = ThreadLocal.withInitial(Fakes::new);

    /** @param secret MANAGE_DB_MASKING_SECRET; null when no rule needs it */
    Transformers(String secret) {
        this.seeds = secret == null ? null : new Seeds(secret);
    }

    /** The SQL expression for a rule the source computes, or null when it runs here. */
    static String sql(Rule rule) {
        return switch (rule.transformer()) {
            case "null" -> "NULL";
            case "constant" -> Sql.quoteLiteral(rule.args().get("value"));
            case "sql" -> "(" + rule.args().get("expr") + ")";
            default -> null;
        };
    }

    /**
     * The JVM function for {@code rule} on {@code column}, shaped by {@code origin} (the column whose values it
     * produces: the referenced key's for a foreign-key column); exit 3 when the rule cannot mask this type.
     */
    Fn jvm(Rule rule, Column column, Column origin) {
        String seed = rule.seed();
        String t = rule.transformer();
        switch (t) {
            case "hash" -> {
                if (origin.isInteger()) {
                    int bits = origin.type().equals("int2") ? 16 : origin.type().equals("int4") ? 32 : 64;
                    long[] keys = roundKeys(seed);
                    return (v, k) -> v == null ? null : Long.toString(permute(Long.parseLong(v), bits, keys));
                }
                if (origin.type().equals("uuid")) {
                    return memo((v, k) -> v == null ? null : uuid(seeds.hmac("hash", seed, v)));
                }
                require(origin.isText(), rule, column, "integer, uuid and text columns");
                int length = origin.maxLength() > 0 ? Math.min(origin.maxLength(), 32) : 32;
                return memo((v, k) -> v == null ? null
                        : HexFormat.of().formatHex(seeds.hmac("hash", seed, v)).substring(0, length));
            }
            case "email" -> {
                require(origin.isText(), rule, column, "text columns");
                return memo((v, k) -> v == null ? null : fit(email(seed, v), origin));
            }
            case "name" -> {
                require(origin.isText(), rule, column, "text columns");
                String part = rule.args().getOrDefault("part", namePart(column.name()));
                return memo((v, k) -> {
                    if (v == null) {
                        return null;
                    }
                    Faker f = faker(seed, v);
                    return fit(part.equals("first") ? f.name().firstName() : part.equals("last")
                            ? f.name().lastName() : f.name().fullName(), origin);
                });
            }
            case "phone" -> {
                require(origin.isText(), rule, column, "text columns");
                return memo((v, k) -> v == null ? null : fit(faker(seed, v).phoneNumber().phoneNumber(), origin));
            }
            case "address" -> {
                require(origin.isText(), rule, column, "text columns");
                return memo((v, k) -> v == null ? null : fit(faker(seed, v).address().streetAddress(), origin));
            }
            case "date_shift" -> {
                require(column.isDate(), rule, column, "date, timestamp and timestamptz columns");
                int days = Integer.parseInt(rule.args().get("days"));
                String domain = column.qualified();
                return (v, k) -> v == null ? null : shift(v, days, seeds.seed("date_shift", domain, k == null ? v : k));
            }
            case "noise" -> {
                require(column.isNumber(), rule, column, "numeric columns");
                double percent = Double.parseDouble(rule.args().getOrDefault("percent", "10"));
                boolean integer = column.isInteger();
                return (v, k) -> v == null ? null : noise(v, percent, integer,
                        seeds.seed("noise", seed, k == null ? "" : k, v));
            }
            default -> throw new IllegalArgumentException("not a JVM transformer: " + t);
        }
    }

    /** Outputs remembered per transformer: the slots of a small direct-mapped cache. */
    private static final int MEMO = 1024;

    /**
     * A transformer of the value alone that remembers its latest outputs: personal columns repeat their
     * values (first names, cities), and a fake value costs a datafaker lookup, a hash an HMAC.
     */
    private static Fn memo(Fn f) {
        // shared by the relay threads without a lock: a slot holds one immutable pair, replaced whole
        Memo[] slots = new Memo[MEMO];
        return (v, k) -> {
            if (v == null) {
                return null;
            }
            int i = v.hashCode() & (MEMO - 1);
            Memo m = slots[i];
            if (m != null && m.in().equals(v)) {
                return m.out();
            }
            String out = f.apply(v, k);
            slots[i] = new Memo(v, out);
            return out;
        };
    }

    private record Memo(String in, String out) {
    }

    private static void require(boolean ok, Rule rule, Column column, String what) {
        if (!ok) {
            throw ManageDbException.config("masking rule " + column.qualified() + ": " + rule.transformer()
                    + " masks " + what + ", not " + column.formatted());
        }
    }

    private static String namePart(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        if (c.contains("first") || c.contains("given")) {
            return "first";
        }
        return c.contains("last") || c.contains("surname") || c.contains("family") ? "last" : "full";
    }

    private Faker faker(String seed, String value) {
        Fakes f = fakes.get();
        f.random.setSeed(seeds.seed("fake", seed, value));
        return f.faker;
    }

    /** A fake address made unique by 48 bits of the HMAC: {@code first.last.0123456789ab@example.com}. */
    private String email(String seed, String value) {
        Faker f = faker(seed, value);
        String local = (f.name().firstName() + "." + f.name().lastName()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9.]", "");
        String tag = HexFormat.of().formatHex(seeds.hmac("email", seed, value), 0, 6);
        return local + "." + tag + "@example.com";
    }

    /** Cut to a varchar/char column's length, keeping the end of an e-mail address (its unique tag and domain). */
    private static String fit(String value, Column column) {
        int max = column.maxLength();
        if (max <= 0 || value.length() <= max) {
            return value;
        }
        int at = value.lastIndexOf('@');
        if (at >= 13) {
            String tagAndDomain = value.substring(at - 13);
            if (tagAndDomain.length() < max) {
                return value.substring(0, max - tagAndDomain.length()) + tagAndDomain;
            }
        }
        return value.substring(0, max);
    }

    private static String uuid(byte[] h) {
        ByteBuffer b = ByteBuffer.wrap(h);
        return new java.util.UUID(b.getLong(), b.getLong()).toString();
    }

    private long[] roundKeys(String seed) {
        ByteBuffer b = ByteBuffer.wrap(seeds.hmac("hash-key", seed));
        return new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()};
    }

    /**
     * A keyed permutation of the non-negative (and, apart, of the negative) values of a {@code bits}-bit integer:
     * a four-round Feistel network over all {@code bits} bits, walked until the result is non-negative again. Distinct
     * inputs give distinct outputs, so a unique integer key stays unique, and its sign is kept (CHECK (id > 0)).
     */
    static long permute(long value, int bits, long[] keys) {
        boolean negative = value < 0;
        long x = negative ? -1 - value : value;
        long limit = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        do {
            x = feistel(x, bits, keys);
        } while (x < 0 || x > limit);
        return negative ? -1 - x : x;
    }

    private static long feistel(long x, int bits, long[] keys) {
        int half = bits / 2;
        long mask = half == 32 ? 0xFFFFFFFFL : (1L << half) - 1;
        long left = (x >>> half) & mask;
        long right = x & mask;
        for (long k : keys) {
            long f = mix(right ^ k) & mask;
            long next = left ^ f;
            left = right;
            right = next;
        }
        long out = (left << half) | right;
        return bits == 64 ? out : out & ((1L << bits) - 1);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The date part of an ISO date, timestamp or timestamptz moved by 1..days days, earlier or later. */
    static String shift(String value, int days, long seed) {
        if (value.length() < 10 || value.endsWith(" BC")) {
            return value; // infinity, -infinity, BC dates: left as they are
        }
        try {
            LocalDate d = LocalDate.parse(value.substring(0, 10));
            long n = Math.floorMod(seed, 2L * days);
            long by = n < days ? -(n + 1) : n - days + 1;
            return d.plusDays(by) + value.substring(10);
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    /** The number times a factor within ±percent, kept to the input's number of decimal places. */
    static String noise(String value, double percent, boolean integer, long seed) {
        if (value.equals("NaN") || value.contains("Infinity") || value.contains("inf")) {
            return value;
        }
        double u = (seed >>> 11) * 0x1.0p-53 * 2 - 1;
        double factor = 1 + u * percent / 100;
        if (integer && value.length() < 16) {
            // below 2^53 the product in double rounds (half to even) as the exact one does but at exact halves
            return Long.toString((long) Math.rint(Long.parseLong(value) * factor));
        }
        BigDecimal v = new BigDecimal(value);
        // the factor to 16 digits, without Double.toString's shortest-digits search (the relay runs it per row)
        BigDecimal out = v.multiply(new BigDecimal(factor, java.math.MathContext.DECIMAL64));
        if (integer) {
            return out.setScale(0, RoundingMode.HALF_EVEN).toBigInteger().toString();
        }
        if (value.contains("e") || value.contains("E")) {
            return Double.toString(out.doubleValue());
        }
        return out.setScale(Math.max(0, v.scale()), RoundingMode.HALF_EVEN).toPlainString();
    }
}
