package dev.soma.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Prints tensors the way PyTorch does: {@code tensor([[ 1.0000, -2.5000], [...]])} with one number
 * format for all elements, rows aligned, rows wrapped at 80 columns, and tensors of more than 1000
 * elements summarised by their first and last three entries of each dimension around {@code ...}.
 * The shape follows the values, then the type unless it is the one PyTorch leaves unsaid (float32,
 * int64, bool), and the graph state when there is one. Integers print as {@code 3}, bool as
 * {@code True}/{@code False}, float64 in float32's format.
 */
final class TensorFormat {

    static final int SUMMARY_THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;
    static final int LINE_WIDTH = 80;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        StringBuilder out = new StringBuilder("tensor(");
        boolean summarize = t.numel() > SUMMARY_THRESHOLD;
        IntFunction<String> element;
        int width;
        if (t.dtype.isIntegral()) {
            long[] values = Typed.longs(t);
            boolean bool = t.dtype == DType.BOOL;
            width = 1;
            for (long v : values) {
                width = Math.max(width, bool ? (v != 0 ? 4 : 5) : Long.toString(v).length());
            }
            int w = width;
            element = i -> {
                String raw = bool ? (values[i] != 0 ? "True" : "False") : Long.toString(values[i]);
                return " ".repeat(w - raw.length()) + raw;
            };
        } else {
            float[] values = Typed.floats(t);
            NumberStyle style = NumberStyle.of(t, values, summarize);
            width = style.width;
            element = i -> style.format(values[i]);
        }
        if (t.shape.length == 0) {
            out.append(element.apply(0).strip());
        } else if (t.numel() == 0) {
            out.append("[]");
        } else {
            appendDim(out, element, width, t.shape, 0, 0, "tensor(".length(), summarize);
        }
        List<String> suffixes = new ArrayList<>();
        if (t.shape.length > 0) {
            suffixes.add("shape=" + Shape.format(t.shape));
        }
        if (t.dtype != DType.FLOAT32 && t.dtype != DType.INT64 && t.dtype != DType.BOOL) {
            suffixes.add("dtype=" + t.dtype);
        }
        if (t.gradFnName() != null) {
            suffixes.add("gradFn=<" + t.gradFnName() + ">");
        } else if (t.requiresGrad()) {
            suffixes.add("requiresGrad=true");
        }
        appendSuffixes(out, suffixes);
        return out.toString();
    }

    /**
     * Appends each suffix after {@code ", "}, or on a new line under the values when it would pass the
     * line width, and the closing parenthesis (PyTorch's {@code _add_suffixes}, including its count of
     * the last line as 2 more than its length).
     */
    private static void appendSuffixes(StringBuilder out, List<String> suffixes) {
        int indent = "tensor(".length();
        int lastLine = out.length() - out.lastIndexOf("\n") + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINE_WIDTH) {
                out.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLine = indent + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        out.append(')');
    }

    /**
     * Appends dimension {@code dim} of the row-major {@code values} starting at {@code base}: the
     * innermost dimension as numbers wrapped to the line width, outer ones as nested brackets separated
     * by one blank line per remaining dimension (as PyTorch).
     */
    private static void appendDim(StringBuilder out, IntFunction<String> element, int width, int[] shape, int dim,
                                  int base, int indent, boolean summarize) {
        int size = shape[dim];
        int block = Shape.numel(java.util.Arrays.copyOfRange(shape, dim + 1, shape.length));
        boolean innermost = dim == shape.length - 1;
        String separator = innermost ? ", "
                : "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (width + 2));
        boolean elide = summarize && size > 2 * EDGE_ITEMS;
        out.append('[');
        int written = 0;
        for (int i = 0; i < size; i++) {
            if (written > 0) {
                boolean wrap = innermost && written % perLine == 0;
                out.append(wrap ? ",\n" + " ".repeat(indent + 1) : separator);
            }
            if (elide && i == EDGE_ITEMS) {
                out.append(innermost ? " ..." : "...");
                i = size - EDGE_ITEMS - 1;
            } else if (innermost) {
                out.append(element.apply(base + i));
            } else {
                appendDim(out, element, width, shape, dim + 1, base + i * block, indent + 1, summarize);
            }
            written++;
        }
        out.append(']');
    }

    /** One format for all printed elements: integers as {@code 3.}, else fixed or scientific, one width. */
    private record NumberStyle(boolean integers, boolean scientific, int width) {

        static NumberStyle of(Tensor t, float[] values, boolean summarize) {
            boolean integers = true;
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            int count = 0;
            for (float v : shownValues(t, values, summarize)) {
                if (!Float.isFinite(v)) {
                    continue;
                }
                count++;
                integers &= v == Math.rint(v);
                double a = Math.abs(v);
                maxAbs = Math.max(maxAbs, a);
                if (a > 0) {
                    minAbs = Math.min(minAbs, a);
                }
            }
            boolean scientific = !integers && count > 0 && minAbs != Double.POSITIVE_INFINITY
                    && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
            if (integers && (maxAbs / minAbs > 1000 || maxAbs > 1e8)) {
                integers = false;
                scientific = true;
            }
            NumberStyle draft = new NumberStyle(integers, scientific, 0);
            // As PyTorch: only finite values set the width; nan and inf are printed as they are.
            int width = 1;
            for (float v : shownValues(t, values, summarize)) {
                if (Float.isFinite(v)) {
                    width = Math.max(width, draft.raw(v).length());
                }
            }
            return new NumberStyle(integers, scientific, width);
        }

        /** The values that will be printed (all, or the edges when summarising). */
        private static float[] shownValues(Tensor t, float[] values, boolean summarize) {
            if (!summarize || t.shape.length == 0) {
                return values;
            }
            Tensor shown = t.detach();
            for (int d = 0; d < t.shape.length; d++) {
                int size = shown.shape[d];
                if (size > 2 * EDGE_ITEMS) {
                    Tensor head = Views.slice(shown, d, 0, EDGE_ITEMS, 1, "slice");
                    Tensor tail = Views.slice(shown, d, size - EDGE_ITEMS, size, 1, "slice");
                    shown = Indexing.cat(java.util.List.of(head, tail), d);
                }
            }
            return Typed.floats(shown);
        }

        String raw(float v) {
            if (Float.isNaN(v)) {
                return "nan";
            }
            if (Float.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            if (integers) {
                return String.format(Locale.ROOT, "%.0f.", v);
            }
            return String.format(Locale.ROOT, scientific ? "%.4e" : "%.4f", v);
        }

        String format(float v) {
            String s = raw(v);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }
}
