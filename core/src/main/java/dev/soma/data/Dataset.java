package dev.soma.data;

/**
 * Examples addressed by index. A dataset builds a {@link Batch} only when asked, so it can keep its
 * examples compact (bytes, files) until then.
 */
public interface Dataset {

    /** The number of examples. */
    int size();

    /** The examples at {@code indices}, stacked into one batch in that order. */
    Batch batch(int[] indices);

    /** This dataset with {@code transform} applied to every batch it builds. */
    default Dataset map(Transform transform) {
        Dataset source = this;
        return new Dataset() {
            @Override
            public int size() {
                return source.size();
            }

            @Override
            public Batch batch(int[] indices) {
                return transform.apply(source.batch(indices));
            }
        };
    }
}
