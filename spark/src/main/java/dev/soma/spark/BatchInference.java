package dev.soma.spark;

import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a {@code DataFrame} with a Soma model file: each row's picture or vector through the model,
 * giving the predicted class and the class probabilities.
 *
 * <p>The file's bytes are broadcast once; each executor loads the model from them once per task
 * running at the same time ({@link ModelCache}, keyed by the broadcast), and each partition runs
 * through it in batches of {@link #batchSize} rows under {@link NoGrad}. A partition's last batch is
 * padded with zeros to the full size: the matrix product takes other paths for a few rows than for
 * many, which round differently, so without the padding a row's probabilities would depend on how
 * the rows fell into partitions. With it, every row goes through the same float operations as in a
 * local forward pass over batches of that size, bit for bit, whatever the partitioning; with a batch
 * size of 1, those of {@code soma predict}.
 *
 * <p>The column scored is either
 *
 * <ul>
 *   <li>{@code binary}: a picture's unsigned pixels {@code [C, H, W]} of the model's input size
 *       ({@link SparkData}'s sources give them), made into the model's input by the file's
 *       {@link Preprocessing} ({@code pixel / 255}, the normalisation), as {@code soma predict} does; or
 *   <li>{@code array<float>}: the model's input itself, {@code C·H·W} (or {@code features}) numbers in
 *       row-major order.
 * </ul>
 *
 * <p>The result has the input's other columns, in order, then {@value #PREDICTION} (the class index,
 * {@code int}; ties go to the lower index), {@value #CLASS} (its name, or the index as text when the
 * file names no classes) and {@value #PROBABILITIES} ({@code array<float>}, the softmax of the
 * model's outputs).
 */
public final class BatchInference {

    /** The batch size unless one is given: large enough that the product runs its packed kernel. */
    public static final int DEFAULT_BATCH = 256;
    /** The column of the predicted class's index. */
    public static final String PREDICTION = "prediction";
    /** The column of the predicted class's name. */
    public static final String CLASS = "class";
    /** The column of the class probabilities. */
    public static final String PROBABILITIES = "probabilities";

    private final byte[] file;
    private final ModelFile model;
    private final int batchSize;

    private BatchInference(byte[] file, ModelFile model, int batchSize) {
        this.file = file;
        this.model = model;
        this.batchSize = batchSize;
    }

    /**
     * The model in {@code file}, read and checked on the driver (a bad file fails here, not in a task).
     *
     * @throws IOException when the file cannot be read or is not a Soma model file
     * @throws IllegalArgumentException when the model's output is not a vector of at least 2 classes
     */
    public static BatchInference load(Path file) throws IOException {
        ModelFile model = ModelFile.load(file); // reads and checks: the message names the file
        int[] output = model.spec().outputShape();
        if (output.length != 1 || output[0] < 2) {
            throw new IllegalArgumentException(file + " gives outputs of shape " + Shape.format(output)
                    + ", not the scores of 2 or more classes; batch inference needs a classifier");
        }
        return new BatchInference(Files.readAllBytes(file), model, DEFAULT_BATCH);
    }

    /** This model with batches of {@code rows} rows (not modified: a new instance). */
    public BatchInference batchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + rows);
        }
        return new BatchInference(file, model, rows);
    }

    /** The rows of a batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The model, as loaded on the driver. */
    public ModelFile model() {
        return model;
    }

    /**
     * {@code frame} (not modified) with {@code column} replaced by the predictions: lazily, as Spark
     * does; the work runs when the result is written or collected.
     *
     * @throws IllegalArgumentException when {@code frame} has no such column, or its type is neither
     *     {@code binary} (then the model must take pictures) nor {@code array<float>}
     */
    public Dataset<Row> score(Dataset<Row> frame, String column) {
        StructType schema = frame.schema();
        int index = Arrays.asList(schema.fieldNames()).indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + column + "' to score; the columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.fields()[index].dataType();
        boolean pixels = type.equals(DataTypes.BinaryType);
        if (pixels && model.input().kind() != Preprocessing.Kind.IMAGES) {
            throw new IllegalArgumentException("column '" + column + "' holds bytes (pictures), but the model takes "
                    + model.input().kind().toString().toLowerCase(java.util.Locale.ROOT) + " inputs of shape "
                    + Shape.format(model.spec().input()) + "; give an array<float> column");
        }
        if (!pixels && !(type instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType))) {
            throw new IllegalArgumentException("column '" + column + "' is " + type.simpleString()
                    + "; batch inference scores binary (picture pixels) or array<float> (model inputs) columns");
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        Broadcast<byte[]> broadcast = context.broadcast(file);
        String key = context.sc().applicationId() + "#" + broadcast.id();
        Scorer scorer = new Scorer(broadcast, key, index, pixels, batchSize, model.classNames());
        return frame.mapPartitions(scorer, Encoders.row(resultSchema(schema, index)));
    }

    /** {@code input} without field {@code index}, then the three result columns. */
    static StructType resultSchema(StructType input, int index) {
        List<StructField> fields = new ArrayList<>(Arrays.asList(input.fields()));
        fields.remove(index);
        fields.add(DataTypes.createStructField(PREDICTION, DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField(CLASS, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(PROBABILITIES, DataTypes.createArrayType(DataTypes.FloatType, false), false));
        return DataTypes.createStructType(fields);
    }

    /** What runs on the executors: one partition's rows in, their predictions out, a batch at a time. */
    private static final class Scorer implements MapPartitionsFunction<Row, Row> {

        private static final long serialVersionUID = 1L;

        private final Broadcast<byte[]> file;
        private final String key;
        private final int column;
        private final boolean pixels;
        private final int batchSize;
        private final ArrayList<String> classNames;

        Scorer(Broadcast<byte[]> file, String key, int column, boolean pixels, int batchSize, List<String> classNames) {
            this.file = file;
            this.key = key;
            this.column = column;
            this.pixels = pixels;
            this.batchSize = batchSize;
            this.classNames = new ArrayList<>(classNames);
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            if (!rows.hasNext()) {
                return rows;
            }
            ModelFile model = ModelCache.take(key, file::value);
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((TaskCompletionListener) context -> ModelCache.give(key, model));
            }
            return new Batches(rows, model);
        }

        /** The predictions of {@code rows}, computed a batch at a time as they are asked for. */
        private final class Batches implements Iterator<Row> {

            private final Iterator<Row> rows;
            private final ModelFile model;
            private final Preprocessing input;
            private final int inputSize;
            private final int[] inputShape;
            private final List<Row> batch = new ArrayList<>();
            private float[] probabilities = new float[0];
            private int outputs;
            private int next;

            Batches(Iterator<Row> rows, ModelFile model) {
                this.rows = rows;
                this.model = model;
                this.input = model.input();
                int[] shape = model.spec().input();
                this.inputShape = new int[shape.length + 1];
                inputShape[0] = batchSize;
                System.arraycopy(shape, 0, inputShape, 1, shape.length);
                this.inputSize = Shape.numel(shape);
            }

            @Override
            public boolean hasNext() {
                return next < batch.size() || rows.hasNext();
            }

            @Override
            public Row next() {
                if (next == batch.size()) {
                    if (!rows.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    runBatch();
                }
                Row row = batch.get(next);
                float[] p = Arrays.copyOfRange(probabilities, next * outputs, (next + 1) * outputs);
                next++;
                int best = argmax(p);
                Object[] values = new Object[row.length() + 2];
                for (int i = 0, j = 0; i < row.length(); i++) {
                    if (i != column) {
                        values[j++] = row.get(i);
                    }
                }
                values[row.length() - 1] = best;
                values[row.length()] = best < classNames.size() ? classNames.get(best) : Integer.toString(best);
                values[row.length() + 1] = p;
                return RowFactory.create(values);
            }

            /** Reads up to a batch of rows and runs them through the model, padded to the full batch. */
            private void runBatch() {
                batch.clear();
                next = 0;
                float[] values = new float[batchSize * inputSize];
                while (batch.size() < batchSize && rows.hasNext()) {
                    Row row = rows.next();
                    fill(row, values, batch.size() * inputSize);
                    batch.add(row);
                }
                try (NoGrad scope = NoGrad.enter()) {
                    Tensor output = model.model().forward(Tensor.of(values, inputShape)).softmax(-1);
                    outputs = output.numel() / batchSize;
                    probabilities = output.toArray();
                }
            }

            private void fill(Row row, float[] values, int offset) {
                if (row.isNullAt(column)) {
                    throw new IllegalArgumentException("row " + row + ": column " + column + " is null");
                }
                if (pixels) {
                    byte[] picture = row.getAs(column);
                    int expected = input.channels() * input.height() * input.width();
                    if (picture.length != expected) {
                        throw new IllegalArgumentException("a picture of " + picture.length + " bytes; the model takes "
                                + input.channels() + " × " + input.height() + " × " + input.width() + " = " + expected);
                    }
                    System.arraycopy(input.image(picture).toArray(), 0, values, offset, inputSize);
                } else {
                    List<Float> vector = row.getList(column);
                    if (vector.size() != inputSize) {
                        throw new IllegalArgumentException("an input of " + vector.size() + " numbers; the model takes "
                                + Shape.format(model.spec().input()) + " = " + inputSize);
                    }
                    for (int i = 0; i < inputSize; i++) {
                        values[offset + i] = vector.get(i);
                    }
                }
            }
        }
    }

    /** The index of the largest value, the first on ties (as {@code soma predict}'s ranking). */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
