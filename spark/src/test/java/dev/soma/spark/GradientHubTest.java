package dev.soma.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The barrier stage's hub without Spark: tasks are threads holding a {@link GradientHub.Link}. The sum
 * must be the partitions' gradients added in partition order in float (checked against that sum
 * written out, on numbers where another order gives other bits), the same bits for every task; a task
 * that goes silent without closing its connection must fail the step with an error naming its
 * partition and the step, within the timeout, and so must a hub that never answers.
 */
class GradientHubTest {

    private static final Duration SHORT = Duration.ofMillis(400);

    /** Partition p's share for a step: {@code gradient} (null: it held no examples), one flag per parameter. */
    private static ShareFrame share(int partition, long step, int examples, float[] gradient, boolean[] present) {
        ShareFrame frame = new ShareFrame(2, 4);
        if (gradient == null) {
            return frame.header(partition, step, 0, 0, 0, -1, -1);
        }
        frame.header(partition, step, examples, 0.5 * examples, examples / 2, gradient.length, present.length);
        frame.putFloats(0, gradient, gradient.length);
        for (int i = 0; i < present.length; i++) {
            frame.flag(i, present[i]);
        }
        return frame;
    }

    @Test
    void sumsInPartitionOrderAndSendsEveryTaskTheSameBits() throws Exception {
        float[][] gradients = {{1e8f, 0.1f, 3f, 0f}, null, {1f, 0.2f, -3f, 0f}, {-1e8f, 0.3f, 1e-8f, 0f}};
        boolean[][] present = {{true, false}, null, {true, false}, {true, false}};
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = ((gradients[0][i] + gradients[2][i]) + gradients[3][i]);   // partition order, float
        }
        assertEquals(0f, expected[0]);          // (1e8 + 1) - 1e8 in float; in order 0, 3, 2 it would be 1
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (GradientHub hub = new GradientHub("127.0.0.1", 4, 2, 4, 2, SHORT);
                    ExecutorService threads = Executors.newFixedThreadPool(4)) {
                List<Future<float[][]>> answers = new ArrayList<>();
                for (int p = 3; p >= 0; p--) {                     // connect and send out of order
                    int partition = p;
                    answers.add(0, threads.submit(() -> {
                        float[][] sums = new float[2][];
                        try (GradientHub.Link link = new GradientHub.Link(hub.address(), partition, 7, SHORT)) {
                            for (int k = 0; k < 2; k++) {
                                ShareFrame sum = new ShareFrame(0, 0);
                                link.exchange(share(partition, 7 + k, 10 + partition, gradients[partition],
                                        present[partition]), sum, 7 + k);
                                assertEquals(ShareFrame.SUM, sum.kind());
                                assertEquals(7 + k, sum.step());
                                assertEquals(10 + 12 + 13, sum.examples());
                                assertEquals(0.5 * 10 + 0.5 * 12 + 0.5 * 13, sum.lossSum());
                                assertEquals(5 + 6 + 6, sum.correct());
                                assertTrue(sum.present(0));
                                assertFalse(sum.present(1));
                                sums[k] = new float[4];
                                sum.getFloats(0, sums[k], 4);
                            }
                        }
                        return sums;
                    }));
                }
                for (Future<float[][]> answer : answers) {
                    for (float[] sum : answer.get()) {
                        assertArrayEquals(expected, sum);
                    }
                }
                assertEquals(null, hub.failure());
            }
        });
    }

    @Test
    void aSilentTaskFailsTheStepNamingItsPartitionAndTheStep() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (GradientHub hub = new GradientHub("127.0.0.1", 2, 3, 4, 2, SHORT);
                    ExecutorService threads = Executors.newFixedThreadPool(2)) {
                float[] g = {1, 2, 3, 4};
                boolean[] both = {true, true};
                Future<?> silent = threads.submit(() -> {
                    try (GradientHub.Link link = new GradientHub.Link(hub.address(), 1, 40, SHORT)) {
                        link.exchange(share(1, 40, 1, g, both), new ShareFrame(2, 4), 40);
                        Thread.sleep(5_000);                       // stops sending, connection open
                    }
                    return null;
                });
                try (GradientHub.Link link = new GradientHub.Link(hub.address(), 0, 40, SHORT)) {
                    ShareFrame sum = new ShareFrame(2, 4);
                    link.exchange(share(0, 40, 1, g, both), sum, 40);
                    float[] got = new float[4];
                    sum.getFloats(0, got, 4);
                    assertArrayEquals(new float[] {2, 4, 6, 8}, got);
                    long start = System.nanoTime();
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> link.exchange(share(0, 41, 1, g, both), new ShareFrame(2, 4), 41));
                    double waited = (System.nanoTime() - start) / 1e9;
                    assertTrue(e.getMessage().contains("partition 1 sent no gradient for step 41 within 400 ms"),
                            e.getMessage());
                    assertTrue(waited >= 0.35 && waited < 5, "waited " + waited + " s");
                    assertTrue(hub.failure().contains("partition 1") && hub.failure().contains("step 41"), hub.failure());
                }
                silent.cancel(true);
            }
        });
    }

    @Test
    void aHubThatNeverAnswersFailsTheTaskNamingItsPartitionAndTheStep() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (ServerSocket mute = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
                Thread.ofPlatform().daemon().start(() -> {
                    try (Socket task = mute.accept()) {
                        DataInputStream in = new DataInputStream(task.getInputStream());
                        in.readInt();
                        in.readLong();
                        new DataOutputStream(task.getOutputStream()).writeInt(200);   // a 200 ms hub
                        Thread.sleep(5_000);                                         // then silence
                    } catch (Exception ignored) {
                        // the test closed it
                    }
                });
                String address = "127.0.0.1:" + mute.getLocalPort();
                try (GradientHub.Link link = new GradientHub.Link(address, 3, 5, SHORT)) {
                    long start = System.nanoTime();
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> link.exchange(share(3, 5, 1, new float[] {1, 2, 3, 4}, new boolean[] {true, true}),
                                    new ShareFrame(2, 4), 5));
                    double waited = (System.nanoTime() - start) / 1e9;
                    assertTrue(e.getMessage().contains("partition 3 received no gradient sum for step 5"), e.getMessage());
                    assertTrue(waited >= 0.35 && waited < 5, "waited " + waited + " s (twice the hub's 200 ms)");
                }
            }
        });
    }
}
