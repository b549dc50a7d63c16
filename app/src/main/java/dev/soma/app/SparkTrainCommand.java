package dev.soma.app;

import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.spark.SparkCluster;
import dev.soma.tensor.Generator;
import dev.soma.train.TrainingLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code soma spark train}: {@code soma train} (every option, output and {@code --json} field of
 * it, inherited) with each step's gradient computed on a Spark cluster: synchronous data-parallel
 * training, the same global batches and, to float rounding, the same weights (docs/SPARK.md).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train as soma train does, each step's gradient computed by Spark.",
            "Example: soma spark train --data fashion-mnist --master local[2] --partitions 2"})
public final class SparkTrainCommand extends TrainCommand {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark's master: local[N], local[*] or spark://HOST:PORT (default: spark-submit's, else"
                    + " local[*]).")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the training set, one task each per step (default: the cluster's cores).")
    Integer partitions;

    @Option(names = "--sync", paramLabel = "MODE",
            description = "How gradients meet: barrier (one Spark stage runs many steps, default) or jobs (one job a"
                    + " step).")
    String sync = "barrier";

    private SparkCluster cluster;
    private int partitionCount;

    @Override
    public Integer call() throws Exception {
        if (partitions != null && partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be ≥ 1, got " + partitions);
        }
        if (!sync.equals("barrier") && !sync.equals("jobs")) {
            throw new ParameterException(spec.commandLine(), "--sync must be barrier or jobs, got '" + sync + "'");
        }
        if (!SparkCluster.available()) {
            throw new IllegalStateException("Apache Spark's jars are not on the class path: run soma spark through"
                    + " ./soma, or spark-submit with app/target/soma-spark.jar (docs/SPARK.md)");
        }
        try {
            return super.call();
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Override
    TrainingLoop loop(ModelSpec modelSpec, Module network, Optimizer opt, Generator init) {
        cluster = SparkCluster.connect(master, "soma spark train");
        partitionCount = partitions != null ? partitions : cluster.defaultParallelism();
        spec.commandLine().getOut().printf("Spark %s, %d partitions, %s%n", cluster.master(), partitionCount,
                sync.equals("barrier") ? "barrier stages" : "a job a step");
        return cluster.classifierTrainer(partitionCount, modelSpec, network, opt, seed.value, sync.equals("barrier"));
    }

    @Override
    Map<String, Object> moreJson() {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("master", cluster.master());
        more.put("partitions", partitionCount);
        return more;
    }
}
