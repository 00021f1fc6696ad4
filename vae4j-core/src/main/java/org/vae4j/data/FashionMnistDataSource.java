package org.vae4j.data;

/**
 * Data source {@code fashion-mnist}: Zalando's Fashion-MNIST (60000 training and 10000 test
 * images of 1x28x28 clothing items in 10 named classes), downloaded on first use into the data
 * directory (see {@link LoadContext#resolveDirectory(String)}) and verified against the published
 * SHA-256 sums. Uncompressed IDX files already in the directory are used as they are.
 */
public final class FashionMnistDataSource implements DataSourceProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public FashionMnistDataSource() {}

    /**
     * Returns {@code fashion-mnist}.
     *
     * @return the kind
     */
    @Override
    public String kind() {
        return "fashion-mnist";
    }

    /**
     * Describes the data set.
     *
     * @return a one-line description
     */
    @Override
    public String description() {
        return "Fashion-MNIST clothing images, 60000+10000 images of 1x28x28 in 10 classes, downloaded and verified on first use";
    }

    /**
     * Downloads (if needed) and loads Fashion-MNIST.
     *
     * @param spec {@code fashion-mnist}, without argument
     * @param context data directory, offline flag and progress listener
     * @return the splits, named {@code fashion-mnist}, with {@link KnownDatasets#fashionMnistLabelNames()}
     * @throws DataException if an argument is given, a file is missing while offline, a download
     *     or checksum fails, or a file is corrupt
     */
    @Override
    public DataSplits load(DataSpec spec, LoadContext context) {
        return DownloadedIdx.load(spec, context, "fashion-mnist", KnownDatasets.fashionMnist(),
                KnownDatasets.fashionMnistLabelNames());
    }
}
