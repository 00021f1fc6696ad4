package org.vae4j.data;

import java.util.Arrays;

/**
 * A training set and a test set with the same record shape, in memory ({@link ArrayDataset}) or
 * streamed (for example {@link MappedImageDataset}).
 *
 * @param train the records to fit on
 * @param test the held-out records to evaluate on
 */
public record DataSplits(Dataset train, Dataset test) {

    /**
     * Validates the splits.
     *
     * @param train the training set
     * @param test the test set
     * @throws IllegalArgumentException if either split is {@code null} or their shapes differ
     */
    public DataSplits {
        if (train == null || test == null) {
            throw new IllegalArgumentException("train and test data sets must not be null");
        }
        if (!Arrays.equals(train.shape(), test.shape())) {
            throw new IllegalArgumentException(
                    "train shape " + Arrays.toString(train.shape()) + " differs from test shape "
                            + Arrays.toString(test.shape()));
        }
    }
}
