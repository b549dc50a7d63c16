package dev.soma.spark;

import dev.soma.data.ImageDataset;
import dev.soma.data.ImageFolder;
import dev.soma.data.Mnist;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Pictures as Spark {@code DataFrame}s, their pixels as unsigned bytes {@code [C, H, W]} in a
 * {@code binary} column {@value #IMAGE}, which {@link BatchInference} scores.
 *
 * <ul>
 *   <li>{@link #fashionMnist}: Fashion-MNIST's IDX files, read by core's {@link Mnist}: columns
 *       {@value #IMAGE} (784 bytes, {@code [1, 28, 28]}) and {@value #LABEL} ({@code int}, 0–9).
 *   <li>{@link #imageFolder}: a folder of pictures read with Spark's own {@code binaryFile} source, so
 *       on a cluster the executors read and decode them: columns {@value #PATH}, {@value #IMAGE}
 *       (decoded and sized as a model file's {@link Preprocessing} says), {@value #INVERTED},
 *       {@value #LABEL} and {@value #CLASS_NAME}, the class being the subfolder below the root, as
 *       {@link ImageFolder} takes it.
 * </ul>
 */
public final class SparkData {

    /** The pixels: unsigned bytes {@code [C, H, W]}. */
    public static final String IMAGE = "image";
    /** The class index, or null for a picture outside any class folder. */
    public static final String LABEL = "label";
    /** A picture's file. */
    public static final String PATH = "path";
    /** The class folder's name, or null. */
    public static final String CLASS_NAME = "label_name";
    /** Whether a picture was inverted to the training pictures' background. */
    public static final String INVERTED = "inverted";

    private SparkData() {
    }

    /**
     * Fashion-MNIST, both splits (70,000 pictures: the 60,000 training ones, then the 10,000 test ones),
     * in {@code partitions} partitions of consecutive rows.
     *
     * @param folder the folder of the four IDX files, or null to find them as {@link Mnist#locate} does
     * @throws IOException when the files are missing or not what they claim
     */
    public static Dataset<Row> fashionMnist(SparkSession session, Path folder, int partitions) throws IOException {
        Path location = folder != null ? folder : Mnist.locate("fashion-mnist");
        ImageDataset train = Mnist.fashionMnist(location, Mnist.Split.TRAIN);
        ImageDataset test = Mnist.fashionMnist(location, Mnist.Split.TEST);
        List<Row> rows = new ArrayList<>(train.size() + test.size());
        addRows(rows, train);
        addRows(rows, test);
        return of(session, rows, partitions);
    }

    /** One split of Fashion-MNIST (see {@link #fashionMnist(SparkSession, Path, int)}). */
    public static Dataset<Row> fashionMnist(SparkSession session, Path folder, Mnist.Split split, int partitions)
            throws IOException {
        ImageDataset data = Mnist.fashionMnist(folder != null ? folder : Mnist.locate("fashion-mnist"), split);
        List<Row> rows = new ArrayList<>(data.size());
        addRows(rows, data);
        return of(session, rows, partitions);
    }

    /** The rows of {@code data}: {@value #IMAGE} and {@value #LABEL}, in its order. */
    public static Dataset<Row> of(SparkSession session, ImageDataset data, int partitions) {
        List<Row> rows = new ArrayList<>(data.size());
        addRows(rows, data);
        return of(session, rows, partitions);
    }

    private static void addRows(List<Row> rows, ImageDataset data) {
        for (int i = 0; i < data.size(); i++) {
            rows.add(RowFactory.create(data.image(i), data.label(i)));
        }
    }

    private static Dataset<Row> of(SparkSession session, List<Row> rows, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be ≥ 1, got " + partitions);
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField(IMAGE, DataTypes.BinaryType, false),
                DataTypes.createStructField(LABEL, DataTypes.IntegerType, false)));
        var context = JavaSparkContext.fromSparkContext(session.sparkContext());
        return session.createDataFrame(context.parallelize(rows, partitions), schema);
    }

    /**
     * The pictures under {@code root} (a path or URI Spark reads: a local folder, {@code hdfs://…}),
     * at any depth, decoded on the executors and sized as {@code input} says; hidden files and files
     * without a picture suffix ({@link ImageFolder#SUFFIXES}) are skipped. A picture's class is the
     * subfolder of {@code root} it lies in (classes numbered in name order, as {@link ImageFolder});
     * a picture directly in {@code root} has none.
     *
     * @param invert whether a picture whose background is clearly the opposite of the training
     *     pictures' is inverted, as {@code soma predict} does
     * @throws FileNotFoundException when {@code root} is not a folder
     * @throws IllegalArgumentException when {@code input} does not describe pictures
     */
    public static Dataset<Row> imageFolder(SparkSession session, String root, Preprocessing input, boolean invert)
            throws IOException {
        if (input.kind() != Preprocessing.Kind.IMAGES) {
            throw new IllegalArgumentException("image folders need a model of pictures, not of "
                    + input.kind().toString().toLowerCase(Locale.ROOT) + " inputs");
        }
        org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(root);
        FileSystem fs = folder.getFileSystem(session.sparkContext().hadoopConfiguration());
        if (!fs.exists(folder) || !fs.getFileStatus(folder).isDirectory()) {
            throw new FileNotFoundException(root + ": not a folder");
        }
        folder = fs.makeQualified(folder);
        List<String> classes = new ArrayList<>();
        for (FileStatus child : fs.listStatus(folder)) {
            String name = child.getPath().getName();
            if (child.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
                classes.add(name);
            }
        }
        classes.sort(null);
        Dataset<Row> files = session.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(folder.toString()).select("path", "content");
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField(PATH, DataTypes.StringType, false),
                DataTypes.createStructField(IMAGE, DataTypes.BinaryType, false),
                DataTypes.createStructField(INVERTED, DataTypes.BooleanType, false),
                DataTypes.createStructField(LABEL, DataTypes.IntegerType, true),
                DataTypes.createStructField(CLASS_NAME, DataTypes.StringType, true)));
        return files.mapPartitions(new Decoder(folder.toUri().getPath(), classes, input, invert), Encoders.row(schema));
    }

    /** A partition of {@code binaryFile} rows (path, content) into decoded pictures and their classes. */
    private static final class Decoder implements MapPartitionsFunction<Row, Row> {

        private static final long serialVersionUID = 1L;

        private final String root;
        private final ArrayList<String> classes;
        private final String input; // Preprocessing is not Serializable: its JSON is
        private transient Preprocessing parsed;
        private final boolean invert;

        Decoder(String root, List<String> classes, Preprocessing input, boolean invert) {
            this.root = root.endsWith("/") ? root : root + "/";
            this.classes = new ArrayList<>(classes);
            this.input = PreprocessingJson.toJson(input);
            this.invert = invert;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> files) {
            if (parsed == null) {
                parsed = PreprocessingJson.fromJson(input);
            }
            List<Row> pictures = new ArrayList<>();
            while (files.hasNext()) {
                Row file = files.next();
                String uri = file.getString(0);
                String path = new org.apache.hadoop.fs.Path(uri).toUri().getPath();
                String relative = path.startsWith(root) ? path.substring(root.length()) : path;
                if (!picture(relative)) {
                    continue;
                }
                Pictures.Decoded decoded;
                try {
                    decoded = Pictures.decode(path, file.getAs(1), parsed, invert);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                int slash = relative.indexOf('/');
                String name = slash < 0 ? null : relative.substring(0, slash);
                int label = name == null ? -1 : classes.indexOf(name);
                pictures.add(RowFactory.create(uri, decoded.pixels(), decoded.inverted(),
                        label < 0 ? null : label, label < 0 ? null : name));
            }
            return pictures.iterator();
        }

        /** Whether a file below the root is read: a picture suffix, nothing hidden on the way. */
        private static boolean picture(String relative) {
            for (String part : relative.split("/")) {
                if (part.startsWith(".")) {
                    return false;
                }
            }
            int dot = relative.lastIndexOf('.');
            return dot >= 0 && ImageFolder.SUFFIXES.contains(relative.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
    }
}
