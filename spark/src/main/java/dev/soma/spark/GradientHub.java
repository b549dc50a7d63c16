package dev.soma.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The barrier stage's all-reduce, on the driver: each step every task sends its share of the gradient
 * here over TCP, the hub adds the P shares in partition order ({@link GradientSum}) and sends the
 * same sum, the same bytes, back to every task.
 *
 * <p>Why not {@code BarrierTaskContext.allGather}: Spark 4.2's barrier calls wait for the coordinator's
 * reply by polling with {@code Thread.sleep(1000)}, so nearly every all-gather took a whole second
 * (measured: 1,003 ms, against 20–35 ms for the share's compute). A socket to the driver answers as
 * soon as the last share arrives. The bytes are those of the job-per-step mode: P gradients in, and
 * here P sums out instead of P copies of the weights.
 *
 * <p>A task of the stage that fails closes its socket; the hub then drops every connection of that
 * attempt and waits for the restarted stage's tasks to connect again.
 */
final class GradientHub implements AutoCloseable {

    private final ServerSocket server;
    private final int partitions;
    private final int steps;
    private final int length;
    private final int parameters;

    /**
     * Listens on {@code host} (the driver's address, which executors reach) for a stage of
     * {@code steps} steps on {@code partitions} tasks, gradients of {@code length} numbers over
     * {@code parameters} parameters.
     */
    GradientHub(String host, int partitions, int steps, int length, int parameters) {
        try {
            this.server = new ServerSocket(0, 4 * partitions + 16, InetAddress.getByName(host));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the barrier stage's gradients on " + host, e);
        }
        this.partitions = partitions;
        this.steps = steps;
        this.length = length;
        this.parameters = parameters;
        Thread.ofPlatform().daemon().name("soma-gradient-hub").start(this::serve);
    }

    /** Where tasks connect: {@code host:port}. */
    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            Socket[] tasks = new Socket[partitions];
            try {
                for (int connected = 0; connected < partitions; ) {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    int partition = new DataInputStream(socket.getInputStream()).readInt();
                    if (partition < 0 || partition >= partitions) {
                        socket.close();
                        continue;
                    }
                    if (tasks[partition] != null) {                         // a new attempt meets a lingering one
                        closeAll(tasks);
                        connected = 0;
                    }
                    tasks[partition] = socket;
                    connected++;
                }
                reduce(tasks);
                closeAll(tasks);
                return;
            } catch (IOException e) {
                closeAll(tasks);                                            // a task failed: wait for the retry
            }
        }
    }

    private void reduce(Socket[] tasks) throws IOException {
        DataInputStream[] in = new DataInputStream[partitions];
        DataOutputStream[] out = new DataOutputStream[partitions];
        for (int p = 0; p < partitions; p++) {
            in[p] = new DataInputStream(new BufferedInputStream(tasks[p].getInputStream(), 1 << 16));
            out[p] = new DataOutputStream(new BufferedOutputStream(tasks[p].getOutputStream(), 1 << 16));
        }
        for (int step = 0; step < steps; step++) {
            GradientSum sum = new GradientSum();
            for (int p = 0; p < partitions; p++) {
                sum.add(GradientSum.Share.decode(in[p].readNBytes(in[p].readInt())));
            }
            byte[] total = new GradientSum.Share(-1, (int) sum.examples(), sum.lossSum(), sum.correct(), sum.gradient(length),
                    sum.present(parameters)).encode();
            for (int p = 0; p < partitions; p++) {
                out[p].writeInt(total.length);
                out[p].write(total);
                out[p].flush();
            }
        }
    }

    /** A task's end of the exchange: sends its share, receives the sum. */
    static GradientSum.Share exchange(DataInputStream in, DataOutputStream out, GradientSum.Share share) throws IOException {
        byte[] bytes = share.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
        return GradientSum.Share.decode(in.readNBytes(in.readInt()));
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
        java.util.Arrays.fill(sockets, null);
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
