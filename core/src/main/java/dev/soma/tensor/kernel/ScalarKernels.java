package dev.soma.tensor.kernel;

/**
 * The reference kernels: one plain loop per operation, written to be read. Every faster kernel is
 * tested against these.
 */
public final class ScalarKernels implements Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    /** The definition of each unary op on one value. */
    public static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            // eˣ, ln, σ, tanh and erf: Exponential's polynomials, which the SIMD kernels repeat lane by lane
            case EXP -> (float) Exponential.exp(x);
            case LOG -> (float) Exponential.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            // NOTE: x > 0 ? x : 0 would turn NaN into 0; relu keeps NaN visible, as PyTorch does.
            case RELU -> x < 0 ? 0f : x;
            case SIGMOID -> (float) Exponential.sigmoid(x);
            case TANH -> (float) Exponential.tanh(x);
            case ERF -> (float) Exponential.erf(x);
        };
    }

    /** The definition of each binary op on one pair of values. */
    public static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case PASS_IF_POSITIVE -> b > 0 ? a : 0f;
        };
    }

    @Override
    public void map(UnaryOp op, float[] x, int xOffset, float[] y, int yOffset, int n) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] = apply(op, x[xOffset + i]);
        }
    }

    @Override
    public void zip(BinaryOp op, float[] a, int aOffset, int aStride, float[] b, int bOffset, int bStride,
                    float[] out, int outOffset, int n) {
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = apply(op, a[aOffset + i * aStride], b[bOffset + i * bStride]);
        }
    }

    @Override
    public float sum(float[] x, int offset, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[offset + i];
        }
        return (float) sum;
    }

    @Override
    public float max(float[] x, int offset, int n) {
        float max = x[offset];
        for (int i = 1; i < n; i++) {
            max = Math.max(max, x[offset + i]);
        }
        return max;
    }

    @Override
    public float min(float[] x, int offset, int n) {
        float min = x[offset];
        for (int i = 1; i < n; i++) {
            min = Math.min(min, x[offset + i]);
        }
        return min;
    }

    @Override
    public void maxPool2x2(float[] x, int top, int width, int rows, float[] out, int[] source, int outOffset, int n) {
        for (int r = 0; r < rows; r++) {
            int upper = top + 2 * r * width;
            int lower = upper + width;
            for (int i = 0; i < n; i++) {
                int at = upper + 2 * i;
                float best = x[at];
                for (int candidate : new int[] {upper + 2 * i + 1, lower + 2 * i, lower + 2 * i + 1}) {
                    float v = x[candidate];
                    if (v > best || Float.isNaN(v)) {
                        best = v;
                        at = candidate;
                    }
                }
                out[outOffset + r * n + i] = best;
                source[outOffset + r * n + i] = at;
            }
        }
    }

    @Override
    public void maxUnpool2x2(float[] grad, int gradOffset, int[] source, int sourceOffset, int n, int rows, float[] x,
                             int top, int width) {
        for (int r = 0; r < rows; r++) {
            int upper = top + 2 * r * width;
            for (int i = 0; i < n; i++) {
                int at = upper + 2 * i;
                int winner = source[sourceOffset + r * n + i];
                float g = grad[gradOffset + r * n + i] + 0f;
                for (int element : new int[] {at, at + 1, at + width, at + width + 1}) {
                    x[element] = element == winner ? g : 0f;
                }
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[cOffset + i * ldc + j] : 0;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    float bpj = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    sum += (double) aip * bpj;
                }
                c[cOffset + i * ldc + j] = (float) sum;
            }
        }
    }
}
