package dev.soma.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * The one JSON line a command prints with {@code --json}. A number that is not finite (NaN, ±∞) is
 * written as {@code null}: JSON has no such numbers, and Jackson's default, the string {@code "NaN"},
 * would pass for a value in a script that reads the field.
 */
final class Json {

    private static final FiniteNumber FINITE = new FiniteNumber();
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule("finite-numbers")
            .addSerializer(Double.class, FINITE)
            .addSerializer(double.class, FINITE)
            .addSerializer(Float.class, FINITE)
            .addSerializer(float.class, FINITE)
            .addSerializer(double[].class, new StdSerializer<>(double[].class) {
                @Override
                public void serialize(double[] values, JsonGenerator out, SerializerProvider provider)
                        throws IOException {
                    out.writeStartArray();
                    for (double value : values) {
                        FINITE.serialize(value, out, provider);
                    }
                    out.writeEndArray();
                }
            }));

    /** A float or double written as itself when finite, else as null. */
    private static final class FiniteNumber extends StdSerializer<Number> {
        FiniteNumber() {
            super(Number.class);
        }

        @Override
        public void serialize(Number number, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (!Double.isFinite(number.doubleValue())) {
                out.writeNull();
            } else if (number instanceof Float f) {
                out.writeNumber(f); // as the float prints, 0.5621765, not its double's digits
            } else {
                out.writeNumber(number.doubleValue());
            }
        }
    }

    private Json() {
    }

    /** Parses JSON text into a tree, to embed it in another document. */
    static Object tree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code document} (maps, lists, numbers, strings) as compact JSON on one line. */
    static String line(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
