package dev.soma.spark;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The barrier stage's all-reduce, on the driver: each step every task sends its share of the gradient
 * here over TCP, the hub adds the P shares in partition order and sends the same sum, the same bytes,
 * back to every task.
 *
 * <p>Why not {@code BarrierTaskContext.allGather}: Spark 4.2's barrier calls wait for the coordinator's
 * reply by polling with {@code Thread.sleep(1000)}, so nearly every all-gather took a whole second
 * (measured: 1,003 ms, against 20–35 ms for the share's compute). A socket to the driver answers as
 * soon as the last share arrives. The bytes are those of the job-per-step mode: P gradients in, and
 * here P sums out instead of P copies of the weights.
 *
 * <p>The sum is that of {@link GradientSum}, in the same order: the first partition's gradient, then
 * each next one's added in float, partitions without examples skipped; so the weights are the
 * job-per-step mode's, bit for bit. The messages ({@link ShareFrame}) are read into buffers kept for the
 * whole stage, and one buffer holding the sum is written to every task.
 *
 * <p>A task of the stage that fails closes its socket; the hub then tells the other tasks why
 * (partition and step), drops every connection of that attempt and waits for the restarted stage's
 * tasks to connect again. An executor that vanishes without closing its connection is caught by the
 * timeout: a task that sends nothing for that long fails the step the same way, with an error that names
 * the partition and the step; the tasks use twice the timeout for the hub's answer.
 */
final class GradientHub implements AutoCloseable {

    /**
     * How long the hub waits for a task's share by default: {@code -Dsoma.spark.hubTimeoutSeconds} on
     * the driver, else 300 s (a step of a large model on a slow executor must never reach it).
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(Long.getLong("soma.spark.hubTimeoutSeconds", 300));

    private final ServerSocket server;
    private final int partitions;
    private final int steps;
    private final int length;
    private final int parameters;
    private final int timeoutMillis;
    private volatile String failure;

    /**
     * Listens on {@code host} (the driver's address, which executors reach) for a stage of
     * {@code steps} steps on {@code partitions} tasks, gradients of {@code length} numbers over
     * {@code parameters} parameters.
     */
    GradientHub(String host, int partitions, int steps, int length, int parameters) {
        this(host, partitions, steps, length, parameters, DEFAULT_TIMEOUT);
    }

    /** As above, waiting at most {@code timeout} for a task's message. */
    GradientHub(String host, int partitions, int steps, int length, int parameters, Duration timeout) {
        try {
            this.server = new ServerSocket(0, 4 * partitions + 16, InetAddress.getByName(host));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the barrier stage's gradients on " + host, e);
        }
        this.partitions = partitions;
        this.steps = steps;
        this.length = length;
        this.parameters = parameters;
        this.timeoutMillis = (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE / 2);
        Thread.ofPlatform().daemon().name("soma-gradient-hub").start(this::serve);
    }

    /** Where tasks connect: {@code host:port}. */
    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** The last failed step's reason (a task that closed or went silent), or null. */
    String failure() {
        return failure;
    }

    private void serve() {
        Socket[] tasks = new Socket[partitions];
        DataInputStream[] in = new DataInputStream[partitions];
        ShareFrame[] shares = new ShareFrame[partitions];
        for (int p = 0; p < partitions; p++) {
            shares[p] = new ShareFrame(parameters, length);
        }
        ShareFrame sum = new ShareFrame(parameters, length);
        float[] total = new float[length];
        float[] next = new float[length];
        while (!server.isClosed()) {
            long firstStep = -1;
            try {
                for (int connected = 0; connected < partitions; ) {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(timeoutMillis);
                    DataInputStream hello = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
                    int partition;
                    long first;
                    try {
                        partition = hello.readInt();
                        first = hello.readLong();
                    } catch (IOException e) {
                        socket.close();                                     // not one of our tasks
                        continue;
                    }
                    if (partition < 0 || partition >= partitions) {
                        socket.close();
                        continue;
                    }
                    if (tasks[partition] != null) {                         // a new attempt meets a lingering one
                        closeAll(tasks);
                        connected = 0;
                    }
                    new DataOutputStream(socket.getOutputStream()).writeInt(timeoutMillis);
                    tasks[partition] = socket;
                    in[partition] = hello;
                    firstStep = first;
                    connected++;
                }
                reduce(tasks, in, shares, sum, total, next, firstStep);
                closeAll(tasks);
                return;
            } catch (StepFailed e) {
                failure = e.getMessage();
                tell(tasks, sum.failure(e.step, e.getMessage()));
                closeAll(tasks);                                            // wait for the retry
            } catch (IOException e) {
                closeAll(tasks);                                            // the hub closed, or a task's hello failed
            }
        }
    }

    /** A step the hub cannot finish: a task closed its connection or sent nothing for the timeout. */
    private static final class StepFailed extends Exception {
        private final long step;

        StepFailed(long step, String message, Throwable cause) {
            super(message, cause);
            this.step = step;
        }
    }

    private void reduce(Socket[] tasks, DataInputStream[] in, ShareFrame[] shares, ShareFrame sum, float[] total,
            float[] next, long firstStep) throws StepFailed {
        OutputStream[] out = new OutputStream[partitions];
        for (int p = 0; p < partitions; p++) {
            try {
                out[p] = tasks[p].getOutputStream();
            } catch (IOException e) {
                throw new StepFailed(firstStep, "partition " + p + " lost its connection to the gradient hub", e);
            }
        }
        for (int k = 0; k < steps; k++) {
            long step = firstStep + k;
            int examples = 0;
            double lossSum = 0;
            long correct = 0;
            boolean any = false;
            for (int p = 0; p < partitions; p++) {
                ShareFrame share = shares[p];
                try {
                    share.readFrom(in[p]);
                } catch (SocketTimeoutException e) {
                    throw new StepFailed(step, "partition " + p + " sent no gradient for step " + step + " within "
                            + seconds(timeoutMillis) + " (its executor stopped or vanished)", e);
                } catch (IOException e) {
                    throw new StepFailed(step, "partition " + p + " closed its connection before sending step " + step
                            + "'s gradient (" + e + ")", e);
                }
                if (share.kind() != p || share.step() != step) {
                    throw new StepFailed(step, "partition " + p + " sent step " + share.step() + " of partition "
                            + share.kind() + " where step " + step + " was due", null);
                }
                examples += share.examples();
                lossSum += share.lossSum();
                correct += share.correct();
                if (share.numbers() < 0) {
                    continue;
                }
                if (share.numbers() != length) {
                    throw new StepFailed(step, "partition " + p + " sent " + share.numbers() + " numbers for step "
                            + step + ", not " + length, null);
                }
                if (!any) {
                    share.getFloats(0, total, length);
                    any = true;
                } else {
                    share.getFloats(0, next, length);
                    for (int i = 0; i < length; i++) {
                        total[i] += next[i];
                    }
                }
            }
            if (!any) {
                Arrays.fill(total, 0f);
            }
            sum.header(ShareFrame.SUM, step, examples, lossSum, correct, length, parameters);
            for (int i = 0; i < parameters; i++) {
                boolean present = false;
                for (ShareFrame share : shares) {
                    present |= share.present(i);
                }
                sum.flag(i, present);
            }
            sum.putFloats(0, total, length);
            for (int p = 0; p < partitions; p++) {
                try {
                    sum.writeTo(out[p]);
                } catch (IOException e) {
                    throw new StepFailed(step, "partition " + p + " closed its connection before step " + step
                            + "'s sum reached it (" + e + ")", e);
                }
            }
        }
    }

    /** Sends {@code frame} to every task still connected, ignoring those that are gone. */
    private static void tell(Socket[] tasks, ShareFrame frame) {
        for (Socket socket : tasks) {
            if (socket != null && !socket.isClosed()) {
                try {
                    frame.writeTo(socket.getOutputStream());
                } catch (IOException ignored) {
                    // that task is gone as well
                }
            }
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** A task's end of the exchange, over one connection to the hub for the whole stage. */
    static final class Link implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final int partition;
        private final int answerMillis;

        /**
         * Connects partition {@code partition}'s task to the hub at {@code address} for a stage whose
         * first step is {@code firstStep}; waits at most {@code connectTimeout} for the hub's greeting.
         */
        Link(String address, int partition, long firstStep, Duration connectTimeout) throws IOException {
            int colon = address.lastIndexOf(':');
            this.socket = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            this.partition = partition;
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE));
                this.out = socket.getOutputStream();
                DataOutputStream hello = new DataOutputStream(out);
                hello.writeInt(partition);
                hello.writeLong(firstStep);
                hello.flush();
                this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
                int hubMillis;
                try {
                    hubMillis = in.readInt();
                } catch (SocketTimeoutException e) {
                    throw new IllegalStateException("partition " + partition + ": the driver's gradient hub " + address
                            + " did not answer within " + seconds(connectTimeout.toMillis()), e);
                }
                this.answerMillis = (int) Math.min(Integer.MAX_VALUE, 2L * hubMillis);
                socket.setSoTimeout(answerMillis);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        /**
         * Sends {@code share} (this partition's for {@code step}) and reads the hub's sum into
         * {@code sum}.
         *
         * @throws IllegalStateException when the hub reports the step failed (a task that closed or went
         *     silent) or sends no answer within twice its timeout
         */
        void exchange(ShareFrame share, ShareFrame sum, long step) throws IOException {
            share.writeTo(out);
            try {
                sum.readFrom(in);
            } catch (SocketTimeoutException e) {
                throw new IllegalStateException("partition " + partition + " received no gradient sum for step " + step
                        + " from the driver's gradient hub within " + seconds(answerMillis) + " (the driver stopped or vanished)", e);
            }
            if (sum.kind() == ShareFrame.FAILURE) {
                throw new IllegalStateException("the barrier stage's step " + sum.step() + " failed: " + sum.message());
            }
            if (sum.kind() != ShareFrame.SUM || sum.step() != step) {
                throw new IllegalStateException("partition " + partition + " received step " + sum.step()
                        + " from the gradient hub where step " + step + " was due");
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void closeAll(Socket[] sockets) {
        for (Socket socket : sockets) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing: nothing to do
                }
            }
        }
        Arrays.fill(sockets, null);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
