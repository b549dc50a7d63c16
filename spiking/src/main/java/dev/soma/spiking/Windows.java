package dev.soma.spiking;

/**
 * The windows of a 2-d convolution or pooling over one {@code [H, W]} plane, seen from the input:
 * which outputs each input position reaches, and through which tap of the kernel.
 *
 * <p>Output {@code (oy, ox)} reads input {@code (oy·s − p + ky·d, ox·s − p + kx·d)} through tap
 * {@code (ky, kx)}; {@code H' = ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1}, as PyTorch's {@code Conv2d}.
 * Padded positions are no input and reach nothing.
 */
final class Windows {

    final int height;
    final int width;
    final int kernel;
    final int outHeight;
    final int outWidth;
    /** Per input position {@code y·W + x}: pairs (tap {@code ky·k + kx}, output {@code oy·W' + ox}). */
    private final int[][] targets;

    Windows(int height, int width, int kernel, int stride, int padding, int dilation) {
        this.height = height;
        this.width = width;
        this.kernel = kernel;
        this.outHeight = (height + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        this.outWidth = (width + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("a " + kernel + "×" + kernel + " window does not fit a " + height + "×"
                    + width + " input");
        }
        int[] sizes = new int[height * width];
        int[][] lists = new int[height * width][];
        for (int pass = 0; pass < 2; pass++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0; kx < kernel; kx++) {
                            int y = oy * stride - padding + ky * dilation;
                            int x = ox * stride - padding + kx * dilation;
                            if (y < 0 || y >= height || x < 0 || x >= width) {
                                continue;
                            }
                            int position = y * width + x;
                            if (pass == 0) {
                                sizes[position] += 2;
                            } else {
                                int[] list = lists[position];
                                list[list.length - sizes[position]] = ky * kernel + kx;
                                list[list.length - sizes[position] + 1] = oy * outWidth + ox;
                                sizes[position] -= 2;
                            }
                        }
                    }
                }
            }
            if (pass == 0) {
                for (int position = 0; position < sizes.length; position++) {
                    lists[position] = new int[sizes[position]];
                }
            }
        }
        this.targets = lists;
    }

    /** The pairs (tap, output position) that input {@code position} reaches. Not to be modified. */
    int[] targets(int position) {
        return targets[position];
    }

    /** Input and output positions per plane. */
    int inputArea() {
        return height * width;
    }

    int outputArea() {
        return outHeight * outWidth;
    }

    /** The taps that read an input (padding left out), over the whole plane: a pooling's additions. */
    long validTaps() {
        long taps = 0;
        for (int[] list : targets) {
            taps += list.length / 2;
        }
        return taps;
    }

    /** Per output position, the input positions of its window (padding left out). */
    int[][] inputsOfOutputs() {
        int[] sizes = new int[outputArea()];
        for (int[] list : targets) {
            for (int i = 1; i < list.length; i += 2) {
                sizes[list[i]]++;
            }
        }
        int[][] inputs = new int[outputArea()][];
        for (int o = 0; o < inputs.length; o++) {
            inputs[o] = new int[sizes[o]];
            sizes[o] = 0;
        }
        for (int position = 0; position < targets.length; position++) {
            int[] list = targets[position];
            for (int i = 1; i < list.length; i += 2) {
                inputs[list[i]][sizes[list[i]]++] = position;
            }
        }
        return inputs;
    }
}
