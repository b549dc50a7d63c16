package dev.soma.nn;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hyperparameters of one layer as a model file holds them, for a {@link LayerSpec} to read itself
 * from: field names are PyTorch's constructor arguments, values plain Java ({@code Long} or
 * {@code Integer}, {@code Double} or {@code Float}, {@code Boolean}, {@code String}, {@code List},
 * {@code Map}, or null), as the file format's reader gives them.
 *
 * <p>The typed getters name the field and what they found when a value is missing or of the wrong
 * type ("field 'in_features' must be an integer, got a string"), and remember which fields were read,
 * so that {@link LayerRegistry} can reject a field no reader asked for ("unknown field 'inplace'")
 * instead of ignoring a typo.
 */
public final class LayerArgs {

    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();

    /** The fields in {@code values} (copied; null values allowed), none read yet. */
    public LayerArgs(Map<String, ?> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /** The integer field {@code name}, which must be present. */
    public int integer(String name) {
        Object value = required(name);
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() != ((Number) value).intValue()) {
            throw new IllegalArgumentException("field '" + name + "' must be an integer, got " + kind(value));
        }
        return ((Number) value).intValue();
    }

    /** The integer field {@code name}, or {@code defaultValue} when absent. */
    public int integer(String name, int defaultValue) {
        return values.containsKey(name) ? integer(name) : skip(name, defaultValue);
    }

    /**
     * The field {@code name} as a {@link Pair}: one integer (for both) or an array of two, or
     * {@code defaultValue} when absent (required when {@code defaultValue} is null).
     */
    public Pair pair(String name, Pair defaultValue) {
        if (!values.containsKey(name) && defaultValue != null) {
            return skip(name, defaultValue);
        }
        Object value = required(name);
        if (value instanceof List<?> list) {
            if (list.size() != 2 || !list.stream().allMatch(LayerArgs::isInt)) {
                throw new IllegalArgumentException("field '" + name + "' must be an integer or an array of two"
                        + " integers, got an array of " + list.size());
            }
            return new Pair(((Number) list.get(0)).intValue(), ((Number) list.get(1)).intValue());
        }
        return Pair.of(integer(name));
    }

    /** The field {@code name} as a {@link Pair}, or null when absent or null (PyTorch's {@code None}). */
    public Pair pairOrNull(String name) {
        if (values.get(name) == null) {
            return skip(name, null);
        }
        return pair(name, null);
    }

    /** The integer field {@code name}, or null when absent or null (PyTorch's {@code None}). */
    public Integer integerOrNull(String name) {
        if (values.get(name) == null) {
            return skip(name, null);
        }
        return integer(name);
    }

    /** The field {@code name} as integers: one integer, or an array of at least one; required. */
    public List<Integer> integers(String name) {
        Object value = required(name);
        if (value instanceof List<?> list) {
            if (list.isEmpty() || !list.stream().allMatch(LayerArgs::isInt)) {
                throw new IllegalArgumentException("field '" + name + "' must be an integer or an array of integers,"
                        + " got " + (list.isEmpty() ? "an empty array" : "an array of other values"));
            }
            return list.stream().map(v -> ((Number) v).intValue()).toList();
        }
        return List.of(integer(name));
    }

    /** The field {@code name} when it is a string, or null (absent or of another type, for another getter). */
    public String stringOrNull(String name) {
        Object value = values.get(name);
        if (value instanceof String s) {
            read.add(name);
            return s;
        }
        return null;
    }

    private static boolean isInt(Object value) {
        return (value instanceof Integer || value instanceof Long)
                && ((Number) value).longValue() == ((Number) value).intValue();
    }

    /** The boolean field {@code name}, or {@code defaultValue} when absent. */
    public boolean bool(String name, boolean defaultValue) {
        if (!values.containsKey(name)) {
            return skip(name, defaultValue);
        }
        Object value = required(name);
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("field '" + name + "' must be true or false, got " + kind(value));
        }
        return b;
    }

    /** The finite number field {@code name} (an integer will do), or {@code defaultValue} when absent. */
    public float number(String name, float defaultValue) {
        if (!values.containsKey(name)) {
            return skip(name, defaultValue);
        }
        Object value = required(name);
        if (!(value instanceof Number n) || !Float.isFinite(n.floatValue())) {
            throw new IllegalArgumentException("field '" + name + "' must be a finite number, got " + kind(value));
        }
        return n.floatValue();
    }

    /**
     * Rejects the first field that no getter has read.
     *
     * @throws IllegalArgumentException "unknown field 'name'"
     */
    void checkAllRead() {
        for (String name : values.keySet()) {
            if (!read.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
    }

    private <T> T skip(String name, T defaultValue) {
        read.add(name);
        return defaultValue;
    }

    private Object required(String name) {
        read.add(name);
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return values.get(name);
    }

    /** What kind of value {@code value} is, for error messages: "a string", "the integer 1", … */
    static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case Integer _, Long _, java.math.BigInteger _ -> "the integer " + value;
            case Number _ -> "the number " + value;
            case Boolean _ -> "the boolean " + value;
            case String _ -> "a string";
            case List<?> _ -> "an array";
            default -> "an object";
        };
    }
}
