package dev.soma.testing;

/**
 * Convolution, pooling and batch normalisation in double, for tests: each written straight from its
 * definition, one output element at a time, with no code shared with Soma (nor with each other: the
 * convolution is a direct 7-deep loop, not unfold and a product).
 *
 * <p>Images are {@link Ref}s of shape {@code [N, C, H, W]}; a window position
 * {@code (y·stride − padding + i·dilation, x·stride − padding + j·dilation)} outside the image is
 * padding.
 */
public final class RefConvolution {

    private RefConvolution() {
    }

    /** PyTorch's output size: {@code ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1}. */
    public static int outputSize(int size, int kernel, int dilation, int padding, int stride) {
        return Math.floorDiv(size + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** {@code x[n, c, h, w]}, or {@code pad} when (h, w) lies outside the image. */
    private static double at(Ref x, int n, int c, int h, int w, double pad) {
        int[] s = x.shape();
        if (h < 0 || h >= s[2] || w < 0 || w >= s[3]) {
            return pad;
        }
        return x.data()[((n * s[1] + c) * s[2] + h) * s[3] + w];
    }

    /**
     * F.unfold: {@code out[n, (c·kh + i)·kw + j, y·outW + x] = in[n, c, y·sh − ph + i·dh,
     * x·sw − pw + j·dw]}, {@code padValue} outside the image.
     */
    public static Ref unfold(Ref x, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw, double padValue) {
        int[] s = x.shape();
        int outH = outputSize(s[2], kh, dh, ph, sh);
        int outW = outputSize(s[3], kw, dw, pw, sw);
        int rows = s[1] * kh * kw;
        double[] out = new double[s[0] * rows * outH * outW];
        int k = 0;
        for (int n = 0; n < s[0]; n++) {
            for (int row = 0; row < rows; row++) {
                int c = row / (kh * kw);
                int i = row / kw % kh;
                int j = row % kw;
                for (int position = 0; position < outH * outW; position++) {
                    int y = position / outW;
                    int xx = position % outW;
                    out[k++] = at(x, n, c, y * sh - ph + i * dh, xx * sw - pw + j * dw, padValue);
                }
            }
        }
        return new Ref(out, new int[] {s[0], rows, outH * outW});
    }

    /**
     * The convolution, directly: {@code out[n, o, y, x] = b[o] + Σ_c Σ_i Σ_j w[o, c, i, j]·in[n, c,
     * y·s − p + i·d, x·s − p + j·d]}, zero padding; {@code b} may be null.
     */
    public static Ref conv2d(Ref x, Ref w, Ref b, int stride, int padding, int dilation) {
        int[] s = x.shape();
        int[] k = w.shape();
        int outH = outputSize(s[2], k[2], dilation, padding, stride);
        int outW = outputSize(s[3], k[3], dilation, padding, stride);
        double[] out = new double[s[0] * k[0] * outH * outW];
        int e = 0;
        for (int n = 0; n < s[0]; n++) {
            for (int o = 0; o < k[0]; o++) {
                for (int y = 0; y < outH; y++) {
                    for (int xx = 0; xx < outW; xx++) {
                        double sum = b == null ? 0 : b.data()[o];
                        for (int c = 0; c < s[1]; c++) {
                            for (int i = 0; i < k[2]; i++) {
                                for (int j = 0; j < k[3]; j++) {
                                    sum += w.get(o, c, i, j) * at(x, n, c, y * stride - padding + i * dilation,
                                            xx * stride - padding + j * dilation, 0);
                                }
                            }
                        }
                        out[e++] = sum;
                    }
                }
            }
        }
        return new Ref(out, new int[] {s[0], k[0], outH, outW});
    }

    /** The largest element of each {@code k×k} window inside the image (padding never counts). */
    public static Ref maxPool2d(Ref x, int kernel, int stride, int padding, int dilation) {
        return pool(x, kernel, stride, padding, dilation, true);
    }

    /** The sum of each {@code k×k} window's elements inside the image, divided by {@code k²}. */
    public static Ref avgPool2d(Ref x, int kernel, int stride, int padding) {
        return pool(x, kernel, stride, padding, 1, false);
    }

    private static Ref pool(Ref x, int kernel, int stride, int padding, int dilation, boolean max) {
        int[] s = x.shape();
        int outH = outputSize(s[2], kernel, dilation, padding, stride);
        int outW = outputSize(s[3], kernel, dilation, padding, stride);
        double[] out = new double[s[0] * s[1] * outH * outW];
        int e = 0;
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int y = 0; y < outH; y++) {
                    for (int xx = 0; xx < outW; xx++) {
                        double result = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int i = 0; i < kernel; i++) {
                            for (int j = 0; j < kernel; j++) {
                                int h = y * stride - padding + i * dilation;
                                int w = xx * stride - padding + j * dilation;
                                if (h >= 0 && h < s[2] && w >= 0 && w < s[3]) {
                                    double v = x.get(n, c, h, w);
                                    result = max ? Math.max(result, v) : result + v;
                                }
                            }
                        }
                        out[e++] = max ? result : result / (kernel * kernel);
                    }
                }
            }
        }
        return new Ref(out, new int[] {s[0], s[1], outH, outW});
    }

    /** The mean of channel c (dimension 1) over every other dimension of {@code x}. */
    public static double channelMean(Ref x, int c) {
        double sum = 0;
        int count = 0;
        for (int e = 0; e < x.numel(); e++) {
            if (Ref.unravel(x.shape(), e)[1] == c) {
                sum += x.data()[e];
                count++;
            }
        }
        return sum / count;
    }

    /** The variance of channel c, dividing by (count − correction). */
    public static double channelVariance(Ref x, int c, int correction) {
        double mean = channelMean(x, c);
        double sum = 0;
        int count = 0;
        for (int e = 0; e < x.numel(); e++) {
            if (Ref.unravel(x.shape(), e)[1] == c) {
                sum += (x.data()[e] - mean) * (x.data()[e] - mean);
                count++;
            }
        }
        return sum / (count - correction);
    }

    /**
     * Batch normalisation in training: {@code (x − mean_c) / √(var_c + eps) · γ_c + β_c}, with the
     * channel's batch mean and biased variance; {@code gamma} and {@code beta} may be null.
     */
    public static Ref batchNorm(Ref x, Ref gamma, Ref beta, double eps) {
        int channels = x.shape()[1];
        double[] mean = new double[channels];
        double[] scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = channelMean(x, c);
            scale[c] = 1 / Math.sqrt(channelVariance(x, c, 0) + eps);
        }
        double[] out = new double[x.numel()];
        for (int e = 0; e < out.length; e++) {
            int c = Ref.unravel(x.shape(), e)[1];
            double y = (x.data()[e] - mean[c]) * scale[c];
            out[e] = y * (gamma == null ? 1 : gamma.data()[c]) + (beta == null ? 0 : beta.data()[c]);
        }
        return new Ref(out, x.shape().clone());
    }
}
