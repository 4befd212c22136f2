package io.managedb.masking;

import io.managedb.core.ManageDbException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of masking that need no server: the COPY text codec, the rules file, the transformers. */
class MaskingUnitTest {
    private static final Path FILE = Path.of("db/masking.yml");

    @Test
    void copyTextDecodesAndEncodesEveryEscape() {
        for (String v : List.of("", "plain", "tab\there", "new\nline", "back\\slash", "\\N", "cr\r", "\b\f\u000b",
                "ünïcødé ✓", "ends with \\")) {
            byte[] encoded = CopyText.encode(v);
            assertThat(new String(encoded, StandardCharsets.UTF_8)).doesNotContain("\t", "\n");
            assertThat(CopyText.decode(encoded, 0, encoded.length)).as(v).isEqualTo(v);
        }
        byte[] nul = CopyText.encode(null);
        assertThat(CopyText.decode(nul, 0, nul.length)).isNull();
        // what a server may send besides: octal and hex escapes
        byte[] other = "a\\101\\x42\\\\".getBytes(StandardCharsets.UTF_8);
        assertThat(CopyText.decode(other, 0, other.length)).isEqualTo("aAB\\");
        byte[] row = "1\t\\N\tx\\ty\n".getBytes(StandardCharsets.UTF_8);
        int[] s = new int[3];
        int[] e = new int[3];
        assertThat(CopyText.split(row, s, e)).isEqualTo(3);
        assertThat(CopyText.decode(row, s[1], e[1])).isNull();
        assertThat(CopyText.decode(row, s[2], e[2])).isEqualTo("x\ty");
    }

    @Test
    void aTableMaskChangesOnlyItsColumnsAndEncodesWhatItWrites() {
        Column id = new Column("public.t", "id", "int4", "integer", -1, false);
        Column note = new Column("public.t", "note", "text", "text", -1, false);
        Column other = new Column("public.t", "other", "text", "text", -1, false);
        TableMask mask = new TableMask("public.t", List.of(id, note, other), java.util.Arrays.asList(null, null, null),
                java.util.Arrays.asList(null, (v, k) -> v == null ? "was null" : "key " + k.replace("\u0000", "") + "\t" + v, null),
                new int[] {0});
        byte[] out = mask.transform("7\ta\\\\b\tk\\\\ept\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("7\tkey 7\\ta\\\\b\tk\\\\ept\n");
        assertThat(new String(mask.transform("8\t\\N\t\\N\n".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("8\twas null\t\\N\n");
        assertThat(mask.selectList()).isEqualTo("\"id\", \"note\", \"other\"");
    }

    @Test
    void theRulesFileIsCheckedNamingWhatIsWrong() {
        MaskingRules rules = MaskingRules.parse(FILE, """
                public.customer:
                  email: email
                  phone: null
                  created: {transformer: date_shift, days: 30}
                  zip: {transformer: sql, expr: "left(zip, 3) || 'xx'"}
                """);
        assertThat(rules.tables().get("public.customer")).containsOnlyKeys("email", "phone", "created", "zip");
        assertThat(rules.tables().get("public.customer").get("created").describe()).isEqualTo("date_shift(days=30)");
        assertThat(rules.tables().get("public.customer").get("phone").transformer()).isEqualTo("null");
        assertConfig("public.customer:\n  email: emial\n", "public.customer.email", "unknown transformer 'emial'");
        assertConfig("customer:\n  email: email\n", "'customer' is not schema.table");
        assertConfig("public.c:\n  d: {transformer: date_shift}\n", "public.c.d", "needs 'days'");
        assertConfig("public.c:\n  d: {transformer: date_shift, days: -3}\n", "'days' must be a positive integer");
        assertConfig("public.c:\n  d: {transformer: hash, salt: x}\n", "takes no argument 'salt'");
        assertConfig("public.c:\n  d: [email]\n", "public.c.d", "expected a transformer name");
        assertConfig("public.c: {d: email\n", "is not valid YAML");
    }

    private static void assertConfig(String yaml, String... parts) {
        assertThatThrownBy(() -> MaskingRules.parse(FILE, yaml)).isInstanceOfSatisfying(ManageDbException.class,
                e -> {
                    assertThat(e.exitCode().code()).isEqualTo(3);
                    assertThat(e.getMessage()).contains(parts);
                });
    }

    @Test
    void transformersAreDeterministicAndKeepTheirColumnsShape() {
        Transformers t = new Transformers("s3cret");
        Transformers other = new Transformers("another secret");
        Column email = new Column("public.c", "email", "varchar", "character varying(40)", 40, false);
        Column first = new Column("public.c", "first_name", "text", "text", -1, false);
        Column id = new Column("public.c", "id", "int4", "integer", -1, false);
        Column born = new Column("public.c", "born", "date", "date", -1, false);
        Column price = new Column("public.c", "price", "numeric", "numeric(8,2)", -1, false);
        Column code = new Column("public.c", "code", "bpchar", "character(8)", 8, false);
        Transformers.Fn mail = t.jvm(rule("email"), email, email);
        String masked = mail.apply("mary.smith@example.org", null);
        assertThat(masked).isEqualTo(mail.apply("mary.smith@example.org", null)).matches("[a-z0-9.]+@example\\.com")
                .hasSizeLessThanOrEqualTo(40).isNotEqualTo(other.jvm(rule("email"), email, email)
                        .apply("mary.smith@example.org", null));
        assertThat(mail.apply(null, null)).isNull();
        assertThat(t.jvm(rule("name"), first, first).apply("MARY", null)).isNotBlank().doesNotContain(" ");
        assertThat(t.jvm(rule("phone"), first, first).apply("555-1234", null)).containsPattern("[0-9]");
        assertThat(t.jvm(rule("address"), first, first).apply("1 Main St", null)).isNotBlank();
        assertThat(t.jvm(rule("hash"), code, code).apply("ABCDEFGH", null)).hasSize(8).matches("[0-9a-f]+");
        Transformers.Fn ids = t.jvm(rule("hash"), id, id);
        Set<String> seen = new HashSet<>();
        for (int i = 1; i <= 20000; i++) {
            long v = Long.parseLong(ids.apply(Integer.toString(i), null));
            assertThat(v).isBetween(0L, (long) Integer.MAX_VALUE);
            seen.add(Long.toString(v));
        }
        assertThat(seen).as("a unique key stays unique").hasSize(20000);
        assertThat(Long.parseLong(ids.apply("-5", null))).isNegative();
        Transformers.Fn shift = t.jvm(Rule.of("x", "born", "date_shift", java.util.Map.of("days", "3")), born, born);
        Set<String> shifted = new HashSet<>();
        for (int k = 0; k < 200; k++) {
            String d = shift.apply("2020-03-10", "row " + k);
            shifted.add(d);
            assertThat(d).isBetween("2020-03-07", "2020-03-13").isNotEqualTo("2020-03-10");
        }
        assertThat(shifted).hasSize(6);
        assertThat(shift.apply("2020-03-10 10:11:12.5+01", "k")).endsWith(" 10:11:12.5+01");
        assertThat(shift.apply("infinity", "k")).isEqualTo("infinity");
        Transformers.Fn noise = t.jvm(Rule.of("x", "price", "noise", java.util.Map.of("percent", "5")), price, price);
        for (int k = 0; k < 100; k++) {
            String v = noise.apply("100.00", "row " + k);
            assertThat(v).matches("\\d+\\.\\d\\d");
            assertThat(Double.parseDouble(v)).isBetween(95.0, 105.0);
        }
        assertThatThrownBy(() -> t.jvm(rule("email"), id, id)).hasMessageContaining("public.c.id: email masks text"
                + " columns, not integer");
    }

    private static Rule rule(String transformer) {
        return Rule.of("x", "col", transformer, java.util.Map.of());
    }

    @Test
    void personalColumnsMatchWhereAWordStarts() {
        PersonalColumns p = new PersonalColumns(List.of("email", "birth", "ssn", "first_name", "*_secret"));
        assertThat(p.matches("email")).isTrue();
        assertThat(p.matches("Contact_Email")).isTrue();
        assertThat(p.matches("date_of_birth")).isTrue();
        assertThat(p.matches("birthdate")).isTrue();
        assertThat(p.matches("classname")).isFalse();
        assertThat(p.matches("api_secret")).isTrue();
        assertThat(p.matches("secretive")).isFalse();
    }
}
