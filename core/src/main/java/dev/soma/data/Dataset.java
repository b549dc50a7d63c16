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
}
