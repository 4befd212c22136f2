package io.managedb.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Asserts that a command's stdout is exactly one JSON document (nothing but whitespace around it). */
public final class JsonDocument {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonDocument() {
    }

    /** The one JSON document {@code text} holds; fails when it holds none, more than one, or trailing text. */
    public static JsonNode parse(String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonNode node = MAPPER.readTree(parser);
            assertThat(node).as("a JSON document in:\n%s", text).isNotNull();
            assertThat(node.isContainerNode()).as("an object or array:\n%s", text).isTrue();
            assertThat(parser.nextToken()).as("nothing after the first JSON document:\n%s", text).isNull();
            return node;
        } catch (IOException e) {
            throw new AssertionError("not one JSON document: " + e.getMessage() + "\n" + text, e);
        }
    }
}
