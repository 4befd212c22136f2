package io.managedb.pg;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineOutputTest {
    @Test
    void linesAreSplitAsTheyComeAndTheLastOneWithoutAnEndArrivesOnClose() {
        List<String> lines = new ArrayList<>();
        LineOutput out = new LineOutput(lines::add);
        byte[] text = "3353; 0 16385 TABLE DATA public a postgres\nschéma ünïcode\n\nlast".getBytes(StandardCharsets.UTF_8);
        // in pieces that cut a line, and a two-byte character, in two
        int cut = "3353; 0 16385 TABLE DATA public a postgres\nsch".length() + 1;
        out.write(text, 0, 10);
        out.write(text, 10, cut - 10);
        out.write(text, cut, text.length - cut);
        assertThat(lines).containsExactly("3353; 0 16385 TABLE DATA public a postgres", "schéma ünïcode", "");
        out.close();
        assertThat(lines).endsWith("last");
    }
}
