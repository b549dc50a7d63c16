package dev.soma.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.function.ToDoubleFunction;

/**
 * The one JSON line a command prints with {@code --json}. A number that is not finite (NaN, ±∞) is
 * written as {@code null}: JSON has no such numbers, and Jackson's default, the string {@code "NaN"},
 * would pass for a value in a script that reads the field.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule("finite-numbers")
            .addSerializer(Double.class, new FiniteDouble<>(Double::doubleValue))
            .addSerializer(double.class, new FiniteDouble<>(Double::doubleValue))
            .addSerializer(Float.class, new FiniteDouble<>(Float::doubleValue))
            .addSerializer(float.class, new FiniteDouble<>(Float::doubleValue))
            .addSerializer(double[].class, new StdSerializer<>(double[].class) {
                @Override
                public void serialize(double[] values, JsonGenerator out, SerializerProvider provider)
                        throws IOException {
                    out.writeStartArray();
                    for (double value : values) {
                        writeFinite(value, out);
                    }
                    out.writeEndArray();
                }
            }));

    /** A boxed number written as itself when finite, else as null. */
    private static final class FiniteDouble<T> extends StdSerializer<T> {
        private final ToDoubleFunction<T> value;

        @SuppressWarnings("unchecked")
        FiniteDouble(ToDoubleFunction<T> value) {
            super((Class<T>) Object.class);
            this.value = value;
        }

        @Override
        public void serialize(T number, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (number instanceof Float f && Float.isFinite(f)) {
                out.writeNumber(f); // as the float prints, 0.5621765, not its double's digits
            } else {
                writeFinite(value.applyAsDouble(number), out);
            }
        }
    }

    private static void writeFinite(double value, JsonGenerator out) throws IOException {
        if (Double.isFinite(value)) {
            out.writeNumber(value);
        } else {
            out.writeNull();
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
