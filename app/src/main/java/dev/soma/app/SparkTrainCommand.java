package dev.soma.app;

import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.spark.SparkCluster;
import dev.soma.tensor.Generator;
import dev.soma.train.TrainingLoop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code soma spark train}: {@code soma train} (every option, output and {@code --json} field of
 * it, inherited) with each step's gradient computed on a Spark cluster: synchronous data-parallel
 * training, the same global batches and, to float rounding, the same weights (docs/SPARK.md); or,
 * with {@code --sync average}, parameter averaging, which approximates it.
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
            description = "How gradients meet: barrier (one Spark stage runs many steps, default), jobs (one job a"
                    + " step) or average (parameter averaging every --local-steps steps: an approximation).")
    String sync = "barrier";

    @Option(names = "--local-steps", paramLabel = "K",
            description = "With --sync average: the steps each partition takes on its own copy between averages"
                    + " (default: " + DEFAULT_LOCAL_STEPS + ").")
    Integer localSteps;

    /** {@code --local-steps} when not given. */
    static final int DEFAULT_LOCAL_STEPS = 8;

    private SparkCluster cluster;
    private int partitionCount;

    @Override
    public Integer call() throws Exception {
        if (partitions != null && partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be ≥ 1, got " + partitions);
        }
        if (!List.of("barrier", "jobs", "average").contains(sync)) {
            throw new ParameterException(spec.commandLine(), "--sync must be barrier, jobs or average, got '" + sync + "'");
        }
        if (localSteps != null && localSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--local-steps must be ≥ 1, got " + localSteps);
        }
        if (localSteps != null && !sync.equals("average")) {
            throw new ParameterException(spec.commandLine(), "--local-steps is for --sync average only (--sync " + sync
                    + " steps on the whole batch's gradient)");
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
        String mode = switch (sync) {
            case "barrier" -> "barrier stages";
            case "jobs" -> "a job a step";
            default -> "parameter averaging every " + localSteps() + " local steps (an approximation)";
        };
        spec.commandLine().getOut().printf("Spark %s, %d partitions, %s%n", cluster.master(), partitionCount, mode);
        return cluster.classifierTrainer(partitionCount, modelSpec, network, opt, seed.value, sync, localSteps());
    }

    @Override
    Map<String, Object> moreJson() {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("master", cluster.master());
        more.put("partitions", partitionCount);
        more.put("sync", sync);
        more.put("local_steps", sync.equals("average") ? localSteps() : null);
        return more;
    }

    private int localSteps() {
        return localSteps != null ? localSteps : DEFAULT_LOCAL_STEPS;
    }
}
