package dev.soma.bench;

import dev.soma.nn.Conv2d;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference CNN's two convolution blocks (batch 64): conv 1→16 on 28×28 and conv 16→32 on 14×14,
 * 3×3 with padding 1, each followed by relu and 2×2 max pooling, as the fused op that
 * {@code nn.Sequential} runs ({@code fused=true}) and as the three separate ops ({@code false});
 * forward alone, and forward plus backward of {@code Σ out ⊙ g}.
 *
 * <pre>
 * java -jar bench/target/soma-bench.jar ConvBenchmark
 * java -jar bench/target/soma-bench.jar ConvBenchmark -p block=second -p fused=true
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {

    /** {@code first}: [64, 1, 28, 28] through 16 channels; {@code second}: [64, 16, 14, 14] through 32. */
    @Param({"first", "second"})
    String block;

    @Param({"true", "false"})
    boolean fused;

    Tensor input;
    Tensor weight;
    Tensor bias;
    Tensor upstream;

    @Setup
    public void setup() {
        Generator generator = new Generator(0);
        boolean first = block.equals("first");
        if (!first && !block.equals("second")) {
            throw new IllegalArgumentException("block must be first or second, got " + block);
        }
        Conv2d conv = first ? new Conv2d.Spec(1, 16, 3).padding(1).build(generator)
                : new Conv2d.Spec(16, 32, 3).padding(1).build(generator);
        input = first ? Tensor.rand(generator, 64, 1, 28, 28) : Tensor.randn(generator, 64, 16, 14, 14);
        weight = conv.weight();
        bias = conv.bias();
        upstream = first ? Tensor.randn(generator, 64, 16, 14, 14) : Tensor.randn(generator, 64, 32, 7, 7);
    }

    private Tensor block(Tensor x) {
        return fused ? x.conv2dRelu(weight, bias, 1, 1, 1, true)
                : x.conv2d(weight, bias, 1, 1, 1).relu().maxPool2d(2, 2, 0, 1);
    }

    @Benchmark
    public Tensor forward() {
        try (NoGrad scope = NoGrad.enter()) {
            return block(input);
        }
    }

    /** The second block's input needs its gradient (it follows the first); the first's does not. */
    @Benchmark
    public Tensor forwardBackward() {
        weight.zeroGrad();
        bias.zeroGrad();
        Tensor x = block.equals("first") ? input : input.detach().requiresGrad(true);
        block(x).mul(upstream).sum().backward();
        return weight.grad();
    }
}
