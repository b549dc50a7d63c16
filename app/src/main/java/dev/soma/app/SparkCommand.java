package dev.soma.app;

import picocli.CommandLine.Command;

/**
 * {@code soma spark}: Soma on an Apache Spark cluster (module soma-spark). Each subcommand is a class
 * of its own. These classes name no Spark type, only soma-spark's facades, so picocli can read them
 * without Spark's jars, which {@code ./soma} adds to the class path for {@code soma spark} alone.
 */
@Command(
        name = "spark",
        mixinStandardHelpOptions = true,
        description = {
            "Soma on Apache Spark: a local[*] master or a cluster (spark://host:7077).",
            ""},
        subcommands = {SparkTrainCommand.class, SparkPredictCommand.class})
public final class SparkCommand extends CommandGroup {
}
