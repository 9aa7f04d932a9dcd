package numa.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void everyKindOfStringComesBackUnchanged() {
        List<String> strings = List.of("", "plain", "quote \" and backslash \\", "slash / stays",
                "new\nline, tab\t, return\r, bell\u0007, nul\u0000, escape\u001b, delete\u007f",
                "backspace\b formfeed\f", "line separator\u2028 paragraph separator\u2029",
                "ümlaut, 日本, emoji \uD83D\uDE80", "C:\\sys\\\"odd\"");
        Object parsed = MiniJson.parse(JsonWriter.write(strings));
        assertThat(parsed).isEqualTo(strings);
    }

    @Test
    void controlCharactersAreEscapedNotWrittenRaw() {
        String json = JsonWriter.write("a\u0001b\u2028c");
        assertThat(json).isEqualTo("\"a\\u0001b\\u2028c\"");
        assertThat(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    }

    @Test
    void unpairedSurrogatesAreEscapedSoTheOutputIsValidUtf8() {
        String lone = "x\uD800y\uDC00z";
        String json = JsonWriter.write(lone);
        assertThat(json).isEqualTo("\"x\\ud800y\\udc00z\"");
        assertThat(MiniJson.parse(json)).isEqualTo(lone);
    }

    @Test
    void nestedValuesRoundTrip() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("id", 1);
        inner.put("big", Long.MAX_VALUE);
        inner.put("yes", true);
        inner.put("none", null);
        inner.put("row", List.of(10, 21));
        inner.put("empty list", List.of());
        inner.put("empty map", Map.of());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("nodes", List.of(inner, inner));
        root.put("key \"quoted\"", "v");
        Map<String, Object> parsed = MiniJson.object(JsonWriter.write(root));
        assertThat(parsed).containsOnlyKeys("nodes", "key \"quoted\"");
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) ((List<Object>) parsed.get("nodes")).get(1);
        assertThat(node).containsExactly(Map.entry("id", 1L), Map.entry("big", Long.MAX_VALUE), Map.entry("yes", true),
                new java.util.AbstractMap.SimpleEntry<>("none", null), Map.entry("row", List.of(10L, 21L)),
                Map.entry("empty list", List.of()), Map.entry("empty map", Map.of()));
    }

    @Test
    void keysKeepTheMapsOrder() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (String k : List.of("z", "a", "m")) {
            root.put(k, k);
        }
        assertThat(new ArrayList<>(MiniJson.object(JsonWriter.write(root)).keySet())).containsExactly("z", "a", "m");
    }

    @Test
    void arraysOfPlainValuesStayOnOneLineOthersAreIndented() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("distances", Arrays.asList(10, 20, null));
        root.put("nodes", List.of(Map.of("id", 0)));
        assertThat(JsonWriter.write(root)).isEqualTo("""
                {
                  "distances": [10, 20, null],
                  "nodes": [
                    {
                      "id": 0
                    }
                  ]
                }""");
    }

    @Test
    void valuesWithoutAJsonFormAreAProgrammingError() {
        assertThatThrownBy(() -> JsonWriter.write(List.of(1.5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Double");
        assertThatThrownBy(() -> JsonWriter.write(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
