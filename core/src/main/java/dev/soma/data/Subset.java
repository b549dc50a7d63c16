package dev.soma.data;

/** The examples of another dataset at some indices, as PyTorch's {@code Subset}. */
public final class Subset implements Dataset {

    private final Dataset dataset;
    private final int[] indices;

    public Subset(Dataset dataset, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= dataset.size()) {
                throw new IndexOutOfBoundsException("Subset: index " + i + " is outside a dataset of " + dataset.size());
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /**
     * Splits {@code dataset} at random into two subsets, the second holding {@code fraction} of the
     * examples (rounded), the order drawn from {@code generator}.
     */
    public static Subset[] split(Dataset dataset, double fraction, dev.soma.tensor.Generator generator) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("split: fraction must be in [0, 1], got " + fraction);
        }
        int[] order = generator.permutation(dataset.size());
        int second = (int) Math.round(dataset.size() * fraction);
        int first = dataset.size() - second;
        return new Subset[] {
            new Subset(dataset, java.util.Arrays.copyOfRange(order, 0, first)),
            new Subset(dataset, java.util.Arrays.copyOfRange(order, first, order.length))};
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Batch batch(int[] positions) {
        int[] mapped = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            mapped[i] = indices[positions[i]];
        }
        return dataset.batch(mapped);
    }
}
