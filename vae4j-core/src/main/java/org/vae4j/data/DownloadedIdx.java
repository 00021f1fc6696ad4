package org.vae4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vae4j.data.DatasetDownloader.RemoteFile;

/** Shared loading logic of the downloadable IDX data sets (MNIST, Fashion-MNIST). */
final class DownloadedIdx {

    private DownloadedIdx() {}

    static DataSplits load(DataSpec spec, LoadContext context, String name, List<RemoteFile> files,
                           List<String> labelNames) {
        if (!spec.argument().isEmpty()) {
            throw new DataException(spec + ": " + spec.kind() + " takes no argument; to load IDX files from a "
                    + "directory use idx:DIR, to choose the download directory use the data directory option");
        }
        Path dir = context.resolveDirectory(name);
        List<RemoteFile> needed = new ArrayList<>();
        for (RemoteFile f : files) {
            // someone who unpacked the .gz by hand has the data already; IdxReader still validates it
            String plain = f.fileName().endsWith(".gz")
                    ? f.fileName().substring(0, f.fileName().length() - 3) : null;
            if (plain == null || !Files.isRegularFile(dir.resolve(plain))) {
                needed.add(f);
            }
        }
        DatasetDownloader.ensure(dir, needed, context.listener(), context.offline());
        return IdxDataset.load(dir, name, labelNames);
    }
}
