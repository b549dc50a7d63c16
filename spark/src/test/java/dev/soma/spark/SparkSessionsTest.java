package dev.soma.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

    @Test
    void localSessionCountsAndSumsATinyDataFrame() {
        SparkSession spark = SparkSessions.start("local[2]", "SparkSessionsTest");
        try {
            assertEquals("false", spark.conf().get("spark.ui.enabled"));
            assertEquals("127.0.0.1", spark.conf().get("spark.driver.host"));
            Dataset<Integer> numbers = spark.createDataset(List.of(1, 2, 3, 4, 5, 6, 7), Encoders.INT())
                    .repartition(2);
            assertEquals(2, numbers.rdd().getNumPartitions());
            assertEquals(7, numbers.count());
            assertEquals(28L, numbers.toDF().selectExpr("sum(value)").first().getLong(0));
        } finally {
            spark.stop();
        }
    }
}
