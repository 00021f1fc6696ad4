package org.vae4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a directory laid out like MNIST: four IDX files {@value #TRAIN_IMAGES},
 * {@value #TRAIN_LABELS}, {@value #TEST_IMAGES} and {@value #TEST_LABELS}, each optionally
 * gzip-compressed with a {@code .gz} suffix.
 *
 * <p>Images become records of shape {@code {1, rows, cols}} with pixels in [0,1].
 */
public final class IdxDataset {

    /** Base name of the training images file. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Base name of the training labels file. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Base name of the test images file. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Base name of the test labels file. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private IdxDataset() {}

    /**
     * Loads the four IDX files from {@code dir}, naming labels by their values ({@code "0"} up to
     * the largest label found, so {@code "0".."9"} for MNIST).
     *
     * @param dir the directory holding the files
     * @param name the name to give both data sets, for example {@code mnist}
     * @return the training and test splits, labelled
     * @throws DataException if the directory or a file is missing or bad, the image and label
     *     counts of a split differ, or the train and test image sizes differ
     */
    public static DataSplits load(Path dir, String name) {
        return load(dir, name, null);
    }

    /**
     * Loads the four IDX files from {@code dir} with the given label names.
     *
     * @param dir the directory holding the files
     * @param name the name to give both data sets, for example {@code fashion-mnist}
     * @param labelNames display names indexed by label, or {@code null} to use the label values
     * @return the training and test splits, labelled
     * @throws DataException if the directory or a file is missing or bad, the image and label
     *     counts of a split differ, the train and test image sizes differ, or a label has no name
     */
    public static DataSplits load(Path dir, String name, List<String> labelNames) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such directory (expected the IDX files "
                    + String.join(", ", TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
                    + ", each optionally .gz)");
        }
        Path trainImagesFile = find(dir, TRAIN_IMAGES);
        Path trainLabelsFile = find(dir, TRAIN_LABELS);
        Path testImagesFile = find(dir, TEST_IMAGES);
        Path testLabelsFile = find(dir, TEST_LABELS);

        int[] trainShape = new int[3];
        float[] trainImages = IdxReader.readImages(trainImagesFile, trainShape);
        int[] trainLabels = IdxReader.readLabels(trainLabelsFile);
        checkCount(trainImagesFile, trainShape[0], trainLabelsFile, trainLabels.length);
        int[] testShape = new int[3];
        float[] testImages = IdxReader.readImages(testImagesFile, testShape);
        int[] testLabels = IdxReader.readLabels(testLabelsFile);
        checkCount(testImagesFile, testShape[0], testLabelsFile, testLabels.length);
        if (trainShape[1] != testShape[1] || trainShape[2] != testShape[2]) {
            throw new DataException(trainImagesFile + ": images are " + trainShape[1] + "x" + trainShape[2]
                    + " but " + testImagesFile.getFileName() + " has " + testShape[1] + "x" + testShape[2]);
        }

        int maxLabel = 0;
        for (int l : trainLabels) {
            maxLabel = Math.max(maxLabel, l);
        }
        for (int l : testLabels) {
            maxLabel = Math.max(maxLabel, l);
        }
        List<String> names;
        if (labelNames == null) {
            names = new ArrayList<>();
            for (int i = 0; i <= maxLabel; i++) {
                names.add(Integer.toString(i));
            }
        } else {
            if (maxLabel >= labelNames.size()) {
                throw new DataException(dir + ": label " + maxLabel + " found but only "
                        + labelNames.size() + " label names are known");
            }
            names = labelNames;
        }
        int[] shape = {1, trainShape[1], trainShape[2]};
        return new DataSplits(
                new ArrayDataset(name, trainImages, shape, trainLabels, names, Map.of()),
                new ArrayDataset(name, testImages, shape, testLabels, names, Map.of()));
    }

    /** Prefers the uncompressed file when both exist: it is faster to read. */
    private static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new DataException(dir + ": missing " + base + " (or " + base + ".gz); an IDX data directory needs "
                + String.join(", ", TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS) + ", each optionally .gz");
    }

    private static void checkCount(Path images, int imageCount, Path labels, int labelCount) {
        if (imageCount != labelCount) {
            throw new DataException(images + ": has " + imageCount + " images but " + labels.getFileName()
                    + " has " + labelCount + " labels");
        }
    }
}
