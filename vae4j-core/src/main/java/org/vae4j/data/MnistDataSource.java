package org.vae4j.data;

/**
 * Data source {@code mnist}: the MNIST handwritten digits (60000 training and 10000 test images
 * of 1x28x28, labels "0".."9"), downloaded on first use into the data directory (see
 * {@link LoadContext#resolveDirectory(String)}) and verified against the published SHA-256 sums.
 * Uncompressed IDX files already in the directory are used as they are.
 */
public final class MnistDataSource implements DataSourceProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public MnistDataSource() {}

    /**
     * Returns {@code mnist}.
     *
     * @return the kind
     */
    @Override
    public String kind() {
        return "mnist";
    }

    /**
     * Describes the data set.
     *
     * @return a one-line description
     */
    @Override
    public String description() {
        return "MNIST handwritten digits, 60000+10000 images of 1x28x28, downloaded and verified on first use";
    }

    /**
     * Downloads (if needed) and loads MNIST.
     *
     * @param spec {@code mnist}, without argument
     * @param context data directory, offline flag and progress listener
     * @return the splits, named {@code mnist}
     * @throws DataException if an argument is given, a file is missing while offline, a download
     *     or checksum fails, or a file is corrupt
     */
    @Override
    public DataSplits load(DataSpec spec, LoadContext context) {
        return DownloadedIdx.load(spec, context, "mnist", KnownDatasets.mnist(), KnownDatasets.mnistLabelNames());
    }
}
