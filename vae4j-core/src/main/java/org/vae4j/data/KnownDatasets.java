package org.vae4j.data;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.data.DatasetDownloader.RemoteFile;

/**
 * Download descriptions (mirrors and SHA-256 checksums) of well-known public data sets.
 *
 * <p>The checksums are those of the original gzip-compressed IDX files as published; a copy that
 * was decompressed and recompressed holds the same data but fails verification, and can be
 * loaded with the {@code idx:DIR} data source instead.
 */
public final class KnownDatasets {

    /** Mirrors of MNIST, tried in order. */
    public static final List<String> MNIST_MIRRORS = List.of(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/");

    /** Mirrors of Fashion-MNIST, tried in order. */
    public static final List<String> FASHION_MNIST_MIRRORS = List.of(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    private static final List<String> MNIST_LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private static final List<String> FASHION_LABELS = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private KnownDatasets() {}

    /**
     * Returns the four gzip-compressed IDX files of MNIST (LeCun, Cortes and Burges).
     *
     * @return train images, train labels, test images, test labels
     */
    public static List<RemoteFile> mnist() {
        return files(MNIST_MIRRORS,
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");
    }

    /**
     * Returns the four gzip-compressed IDX files of Fashion-MNIST (Xiao, Rasul and Vollgraf).
     *
     * @return train images, train labels, test images, test labels
     */
    public static List<RemoteFile> fashionMnist() {
        return files(FASHION_MNIST_MIRRORS,
                "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5");
    }

    /**
     * Returns the MNIST class names, indexed by label.
     *
     * @return the digits {@code "0"} to {@code "9"}
     */
    public static List<String> mnistLabelNames() {
        return MNIST_LABELS;
    }

    /**
     * Returns the Fashion-MNIST class names, indexed by label.
     *
     * @return the ten names, from {@code T-shirt/top} (0) to {@code Ankle boot} (9)
     */
    public static List<String> fashionMnistLabelNames() {
        return FASHION_LABELS;
    }

    private static List<RemoteFile> files(List<String> mirrors, String... sha256) {
        String[] names = {IdxDataset.TRAIN_IMAGES, IdxDataset.TRAIN_LABELS, IdxDataset.TEST_IMAGES, IdxDataset.TEST_LABELS};
        List<RemoteFile> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String file = names[i] + ".gz";
            List<String> urls = new ArrayList<>();
            for (String m : mirrors) {
                urls.add(m + file);
            }
            out.add(new RemoteFile(file, urls, sha256[i]));
        }
        return List.copyOf(out);
    }
}
