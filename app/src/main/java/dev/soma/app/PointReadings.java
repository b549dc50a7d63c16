package dev.soma.app;

import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.Sigmoid;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code soma predict --input X1,X2} and {@code --points FILE}: a model of 2-D points (the
 * playground's downloads, {@code soma train} on a toy set) read at each point. The point becomes the
 * features the file records (x₁, x₂, x₁², …); the outputs become class probabilities (softmax over
 * several, σ of a single logit, or as given after a last sigmoid) or, for a single output without
 * class names, the fitted value.
 */
final class PointReadings {

    private final CommandSpec spec;
    private final ModelFile saved;
    private final Path file;
    private final int top;
    private final boolean json;

    PointReadings(CommandSpec spec, ModelFile saved, Path file, int top, boolean json) {
        this.spec = spec;
        this.saved = saved;
        this.file = file;
        this.top = top;
        this.json = json;
    }

    /** Reads the point of {@code --input} or the lines of {@code --points} and prints each reading. */
    int run(String point, String pointsFile) throws IOException {
        if (point != null && pointsFile != null) {
            throw new ParameterException(spec.commandLine(), "give --input or --points, not both");
        }
        Preprocessing input = saved.input();
        if (input.kind() != Preprocessing.Kind.POINTS) {
            throw new IllegalArgumentException(file + " takes inputs of shape " + Shape.format(saved.spec().input())
                    + ", not 2-D points; " + (input.kind() == Preprocessing.Kind.IMAGES
                    ? "give it pictures (IMAGE files)" : "it does not record the features of a point"));
        }
        List<String[]> labels = new ArrayList<>();
        List<float[]> xy = new ArrayList<>();
        if (point != null) {
            String[] cells = point.split(",", -1);
            if (cells.length != 2) {
                throw new ParameterException(spec.commandLine(), "--input takes two numbers x1,x2, got "
                        + cells.length + " ('" + point + "')");
            }
            xy.add(new float[] {number(cells[0], "--input"), number(cells[1], "--input")});
            labels.add(cells);
        } else {
            readCsv(pointsFile, labels, xy);
        }
        float[][] outputs = forward(input, xy.toArray(float[][]::new));
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> readings = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            String where = labels.get(i)[0].trim() + "," + labels.get(i)[1].trim();
            Map<String, Object> reading = new LinkedHashMap<>();
            reading.put("input", new double[] {xy.get(i)[0], xy.get(i)[1]});
            float[] probabilities = probabilities(outputs[i]);
            if (probabilities == null) {
                out.println(where + ": " + PredictCommand.format(outputs[i][0]));
                reading.put("value", outputs[i][0]);
            } else {
                List<Map<String, Object>> best = top(probabilities, probabilities.length, classNames(probabilities.length), top);
                out.println(where + ":" + describe(best));
                reading.put("top", best);
            }
            readings.add(reading);
        }
        if (json) {
            out.println(Json.line(Map.of("predictions", readings)));
        }
        out.flush();
        return 0;
    }

    private float[][] forward(Preprocessing input, float[][] xy) {
        int outputs = saved.spec().numClasses();
        float[] flat;
        try (NoGrad scope = NoGrad.enter()) {
            flat = saved.model().forward(input.points(xy)).toArray();
        }
        float[][] rows = new float[xy.length][];
        for (int i = 0; i < xy.length; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * outputs, (i + 1) * outputs);
        }
        return rows;
    }

    /**
     * The class probabilities of one output row, or null for a regression (a single output, no
     * last sigmoid and no two class names): several outputs go through softmax, a single logit
     * through σ (the probability of class 1), and a last sigmoid's output is one already.
     */
    private float[] probabilities(float[] row) {
        if (row.length > 1) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            double[] e = new double[row.length];
            for (int k = 0; k < row.length; k++) {
                e[k] = Math.exp(row[k] - max);
                sum += e[k];
            }
            float[] p = new float[row.length];
            for (int k = 0; k < row.length; k++) {
                p[k] = (float) (e[k] / sum);
            }
            return p;
        }
        List<LayerSpec> layers = saved.spec().layers();
        boolean lastSigmoid = !layers.isEmpty() && layers.getLast().type().equals(Sigmoid.SPEC.type());
        if (!lastSigmoid && saved.classNames().size() != 2) {
            return null;
        }
        float p1 = lastSigmoid ? row[0] : (float) (1 / (1 + Math.exp(-row[0])));
        return new float[] {1 - p1, p1};
    }

    private List<String> classNames(int count) {
        List<String> names = saved.classNames();
        if (names.size() == count) {
            return names;
        }
        List<String> numbers = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            numbers.add(Integer.toString(k));
        }
        return numbers;
    }

    /** The lines of a CSV of points: x1,x2 or x1,x2,label; blank lines, # comments and an x1,x2 header skipped. */
    private void readCsv(String name, List<String[]> labels, List<float[]> xy) throws IOException {
        List<String> lines;
        if (name.equals("-")) {
            var reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            lines = reader.lines().toList();
        } else {
            lines = Files.readAllLines(Path.of(name), StandardCharsets.UTF_8);
        }
        String source = name.equals("-") ? "standard input" : name;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || (xy.isEmpty() && line.toLowerCase(java.util.Locale.ROOT).startsWith("x1,x2"))) {
                continue;
            }
            String[] cells = line.split(",", -1);
            String where = source + " line " + (n + 1);
            if (cells.length != 2 && cells.length != 3) {
                throw new IllegalArgumentException(where + ": expected two numbers x1,x2 (and maybe a label), got "
                        + cells.length + " values ('" + line + "')");
            }
            xy.add(new float[] {number(cells[0], where), number(cells[1], where)});
            labels.add(cells);
        }
        if (xy.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no points (lines of x1,x2)");
        }
    }

    private static float number(String text, String where) {
        try {
            float value = Float.parseFloat(text.strip());
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(where + ": '" + text.strip() + "' is not a finite number");
    }

    /** The {@code top} most probable classes, most probable first, as the JSON entries. */
    static List<Map<String, Object>> top(float[] probabilities, int outputs, List<String> classes, int top) {
        Integer[] order = new Integer[outputs];
        for (int i = 0; i < outputs; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
        List<Map<String, Object>> best = new ArrayList<>();
        for (int k = 0; k < Math.min(top, outputs); k++) {
            int index = order[k];
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class", index < classes.size() ? classes.get(index) : Integer.toString(index));
            entry.put("index", index);
            entry.put("probability", probabilities[index]);
            best.add(entry);
        }
        return best;
    }

    /** " name p, name p": the printed form of {@link #top}'s entries. */
    static String describe(List<Map<String, Object>> best) {
        StringBuilder line = new StringBuilder();
        for (Map<String, Object> entry : best) {
            line.append(line.isEmpty() ? " " : ", ").append(entry.get("class")).append(' ')
                    .append(PredictCommand.format((Float) entry.get("probability")));
        }
        return line.toString();
    }
}
