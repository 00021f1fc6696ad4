package org.vae4j.data;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Data source {@code idx:DIR}: the four MNIST-style IDX files in directory {@code DIR} (see
 * {@link IdxDataset}), read without checksums and without network access. The data set is named
 * {@code idx:} followed by the directory's name.
 */
public final class IdxDataSource implements DataSourceProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public IdxDataSource() {}

    /**
     * Returns {@code idx}.
     *
     * @return the kind
     */
    @Override
    public String kind() {
        return "idx";
    }

    /**
     * Describes the data source.
     *
     * @return a one-line description
     */
    @Override
    public String description() {
        return "idx:DIR - MNIST-style IDX files (train-images-idx3-ubyte etc., optionally .gz) in directory DIR";
    }

    /**
     * Returns {@code idx:DIR}.
     *
     * @return the short form of the spec
     */
    @Override
    public String syntax() {
        return "idx:DIR";
    }

    /**
     * Loads the IDX files of the directory given as argument; the {@link LoadContext} is not used.
     *
     * @param spec {@code idx:DIR}
     * @param context ignored
     * @return the splits, named {@code idx:<directory name>}
     * @throws DataException if the directory is missing or not given, or a file is bad
     */
    @Override
    public DataSplits load(DataSpec spec, LoadContext context) {
        if (spec.argument().isEmpty()) {
            throw new DataException(spec + ": missing directory, use idx:DIR");
        }
        Path dir;
        try {
            dir = Path.of(spec.argument());
        } catch (InvalidPathException e) {
            throw new DataException(spec + ": invalid directory: " + e.getMessage(), e);
        }
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        String name = "idx:" + (fileName == null ? spec.argument() : fileName.toString());
        return IdxDataset.load(dir, name);
    }
}
