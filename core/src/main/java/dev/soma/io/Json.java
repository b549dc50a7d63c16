package dev.soma.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of this package: strict on reading, compact on writing. */
final class Json {

    /**
     * Rejects duplicate keys at any depth (a safetensors header naming a tensor twice is ambiguous)
     * and anything after the top-level value other than whitespace. Strings may be as long as the
     * largest header safetensors allows, since metadata values can be long.
     */
    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Safetensors.MAX_HEADER_LENGTH)
                            .maxDocumentLength(Safetensors.MAX_HEADER_LENGTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Json() {}

    /** Parses {@code text}; the error message says what is wrong and where, without Jackson's source dump. */
    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** {@code node} as compact JSON text. */
    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** What kind of JSON value {@code node} is, for error messages: "a string", "an array", … */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING, BINARY -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "the integer " + node : "the number " + node;
            case BOOLEAN -> "the boolean " + node;
            case NULL -> "null";
            case MISSING -> "missing";
        };
    }
}
