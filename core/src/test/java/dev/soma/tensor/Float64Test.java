package dev.soma.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * float64 tensors: arithmetic in double (values float32 cannot hold), the matrix product against a
 * plain loop, reductions, and gradients through them against closed forms and central differences
 * in double, to 1e-9 where float32 could not get past 1e-4.
 */
class Float64Test {

    private static Tensor doubles(int[] shape, double... values) {
        return Tensor.ofDoubles(values, shape);
    }

    private static double[] random(Generator g, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = g.nextGaussian();
        }
        return values;
    }

    @Test
    void arithmeticIsDoubleArithmetic() {
        Tensor a = doubles(new int[] {3}, 0.1, 1e-300, 1e300);
        Tensor b = doubles(new int[] {3}, 0.2, 1e-10, 10);
        assertArrayEquals(new double[] {0.1 + 0.2, 1e-300 + 1e-10, 1e300 + 10}, a.add(b).toDoubleArray());
        assertArrayEquals(new double[] {0.1 * 0.2, 1e-300 * 1e-10, 1e300 * 10}, a.mul(b).toDoubleArray());
        assertArrayEquals(new double[] {0.1 / 0.2, 1e-300 / 1e-10, 1e300 / 10}, a.div(b).toDoubleArray());
        assertArrayEquals(new double[] {Math.exp(0.1), 1, Double.POSITIVE_INFINITY}, a.exp().toDoubleArray());
        assertArrayEquals(new double[] {Math.log(0.1), Math.log(1e-300), Math.log(1e300)}, a.log().toDoubleArray());
        assertEquals(DType.FLOAT64, a.sub(1f).dtype(), "a float scalar keeps float64");
        assertEquals(0.1 - (double) 1f, a.sub(1f).toDoubleArray()[0]);
        assertArrayEquals(new double[] {1e300, 1e300}, a.narrow(0, 1, 2).max(0, false).reshape(1).expand(2).toDoubleArray());
        assertEquals(1e300 + 1e-300 + 0.1, a.sum().itemDouble());
        assertEquals((1e300 + 1e-300 + 0.1) / 3, a.mean().itemDouble());
        assertEquals(1e-300, a.min().itemDouble());
        assertEquals(2, a.argmax().itemLong());
        double[] z = {1000, 1000 + 1e-9, 999};
        double[] e = {Math.exp(z[0] - z[1]), 1, Math.exp(z[2] - z[1])}; // shifted by the largest
        double total = e[0] + e[1] + e[2];
        assertArrayEquals(new double[] {e[0] / total, e[1] / total, e[2] / total},
                doubles(new int[] {3}, z).softmax(0).toDoubleArray(), 1e-15, "a 1e-9 difference float32 cannot see");
        assertEquals(z[1] + Math.log(total), doubles(new int[] {3}, z).logsumexp(0).itemDouble(), 1e-12);
        Tensor signed = doubles(new int[] {3}, -0.0, Double.NaN, 1);
        assertArrayEquals(new long[] {1, 0, 0}, signed.eq(doubles(new int[] {3}, 0.0, Double.NaN, 2)).toLongArray(),
                "−0 equals 0, NaN equals nothing");
        assertArrayEquals(new long[] {0, 1, 1}, signed.ne(doubles(new int[] {3}, 0.0, Double.NaN, 2)).toLongArray());
    }

    @Test
    void matmulIsThePlainLoop() {
        Generator g = new Generator(5);
        int m = 4;
        int k = 7;
        int n = 3;
        double[] x = random(g, m * k);
        double[] y = random(g, k * n);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += x[i * k + p] * y[p * n + j];
                }
                expected[i * n + j] = s;
            }
        }
        double[] out = doubles(new int[] {m, k}, x).matmul(doubles(new int[] {k, n}, y)).toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], out[i], 1e-14 * (1 + Math.abs(expected[i])));
        }
        Tensor yt = doubles(new int[] {n, k}, y).t(); // a strided operand
        assertEquals(DType.FLOAT64, doubles(new int[] {m, k}, x).matmul(yt).dtype());
        assertArrayEquals(new int[] {m}, doubles(new int[] {m, k}, x).matmul(doubles(new int[] {k}, random(g, k))).shape());
        assertEquals("matmul: expected float32 tensors, got float64 and float32", assertThrows(IllegalArgumentException.class,
                () -> doubles(new int[] {2, 2}, 1, 2, 3, 4).matmul(Tensor.zeros(2, 2))).getMessage());
    }

    @Test
    void gradientsMatchClosedFormsAndCentralDifferences() {
        Generator g = new Generator(9);
        double[] a = random(g, 6);
        double[] b = random(g, 6);
        double[] c = random(g, 4);
        // L = Σ (A·B) ⊙ C + mean(exp(A)) − Σ B²/2: ∂L/∂A = C·Bᵀ + exp(A)/6, ∂L/∂B = Aᵀ·C − B
        Function<Tensor[], Tensor> loss = t -> t[0].matmul(t[1]).mul(t[2]).sum().add(t[0].exp().mean())
                .sub(t[1].mul(t[1]).sum().div(2f));
        Tensor ta = doubles(new int[] {2, 3}, a).requiresGrad(true);
        Tensor tb = doubles(new int[] {3, 2}, b).requiresGrad(true);
        Tensor tc = doubles(new int[] {2, 2}, c);
        loss.apply(new Tensor[] {ta, tb, tc}).backward();
        assertEquals(DType.FLOAT64, ta.grad().dtype());
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < 3; p++) {
                double expected = Math.exp(a[i * 3 + p]) / 6;
                for (int j = 0; j < 2; j++) {
                    expected += c[i * 2 + j] * b[p * 2 + j];
                }
                assertEquals(expected, ta.grad().getDouble(i, p), 1e-12, "dL/dA");
            }
        }
        for (int p = 0; p < 3; p++) {
            for (int j = 0; j < 2; j++) {
                double expected = -b[p * 2 + j];
                for (int i = 0; i < 2; i++) {
                    expected += a[i * 3 + p] * c[i * 2 + j];
                }
                assertEquals(expected, tb.grad().getDouble(p, j), 1e-12, "dL/dB");
            }
        }
        double h = 1e-6;
        for (int e = 0; e < 6; e++) {
            double[] plus = a.clone();
            double[] minus = a.clone();
            plus[e] += h;
            minus[e] -= h;
            double up = loss.apply(new Tensor[] {doubles(new int[] {2, 3}, plus), doubles(new int[] {3, 2}, b), tc}).itemDouble();
            double down = loss.apply(new Tensor[] {doubles(new int[] {2, 3}, minus), doubles(new int[] {3, 2}, b), tc}).itemDouble();
            assertEquals((up - down) / (2 * h), ta.grad().toDoubleArray()[e], 1e-8, "central difference, element " + e);
        }
    }

    @Test
    void aFloat32ParameterGetsAFloat32GradientThroughFloat64() {
        Tensor w = Tensor.vector(0.5f, -2).requiresGrad(true);
        Tensor x = doubles(new int[] {2}, 3, 4);
        w.toDouble().mul(x).sum().backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
        assertArrayEquals(new float[] {3, 4}, w.grad().toArray());
        Tensor v = Tensor.vector(1, 2).requiresGrad(true);
        v.mul(x).sum().backward(); // float32 · float64 is float64; the gradient comes back as float32
        assertEquals(DType.FLOAT32, v.grad().dtype());
        assertArrayEquals(new float[] {3, 4}, v.grad().toArray());
    }

    @Test
    void float32OnlyOpsSaySo() {
        Tensor d = doubles(new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
        assertEquals("conv2d: expected float32 tensors, got float64 and float32", assertThrows(IllegalArgumentException.class,
                () -> d.conv2d(Tensor.zeros(1, 1, 1, 1), null, 1, 0, 1)).getMessage());
        assertEquals("erf: not implemented for float64 tensors",
                assertThrows(IllegalArgumentException.class, d::erf).getMessage());
    }

    @Test
    void activationsAndTheirGradientsAreDouble() {
        double[] x = {-800, -3, -1e-12, 0, 1e-12, 0.5, 40};
        Tensor t = doubles(new int[] {x.length}, x);
        double[] relu = t.relu().toDoubleArray();
        double[] sigmoid = t.sigmoid().toDoubleArray();
        double[] tanh = t.tanh().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.max(x[i], 0), relu[i], "relu at " + x[i]);
            assertEquals(1 / (1 + Math.exp(-x[i])), sigmoid[i], 1e-16, "sigmoid at " + x[i]);
            assertEquals(Math.tanh(x[i]), tanh[i], "tanh at " + x[i]);
        }
        assertEquals(0.5 + 1e-12 / 4, sigmoid[4], 1e-16, "a step float32 cannot hold");
        assertEquals(Math.exp(-800), sigmoid[0], "no overflow below 0: e^x / (1 + e^x)");
        for (String name : new String[] {"relu", "sigmoid", "tanh"}) {
            Tensor leaf = doubles(new int[] {x.length}, x).requiresGrad(true);
            Function<Tensor, Tensor> f = name.equals("relu") ? Tensor::relu : name.equals("sigmoid") ? Tensor::sigmoid : Tensor::tanh;
            f.apply(leaf).sum().backward();
            double[] grad = leaf.grad().toDoubleArray();
            assertEquals(DType.FLOAT64, leaf.grad().dtype());
            for (int i = 0; i < x.length; i++) {
                double s = 1 / (1 + Math.exp(-x[i]));
                double expected = switch (name) {
                    case "relu" -> x[i] > 0 ? 1 : 0; // 0 at 0, as PyTorch
                    case "sigmoid" -> s * (1 - s);
                    default -> 1 - Math.tanh(x[i]) * Math.tanh(x[i]);
                };
                assertEquals(expected, grad[i], 1e-15, name + "' at " + x[i]);
            }
        }
    }

    @Test
    void reluKeepsNaNAsFloat32AndPyTorchDo() {
        // torch.relu(torch.tensor([nan, -1, 0, 2], dtype=torch.float64)) = [nan, 0, 0, 2]
        double[] relu = doubles(new int[] {4}, Double.NaN, -1, 0, 2).relu().toDoubleArray();
        assertArrayEquals(new double[] {Double.NaN, 0, 0, 2}, relu);
        assertEquals(Float.isNaN(Tensor.vector(Float.NaN).relu().item()), Double.isNaN(relu[0]), "as float32's kernel");
    }
}
