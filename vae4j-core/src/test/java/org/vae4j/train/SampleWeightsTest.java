package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataException;
import org.vae4j.io.Checksums;

class SampleWeightsTest {
    static final ArrayDataset DS = new ArrayDataset("toy", new float[] {0, .5f, 1}, new int[] {1}, null, null, null,
            List.of("a", "b,c", "d"));

    @TempDir
    Path tmp;

    Path file(String text) throws Exception {
        Path f = tmp.resolve("w.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void matchesRowsToRecordsByIdInAnyOrderIgnoringOtherColumns() throws Exception {
        Path f = file("id,label,density,weight\nd,,0.1,3\n\"b,c\",x,1,0.5\na,,2,0\n");
        SampleWeights w = SampleWeights.read(f, DS);
        assertThat(w.weights()).containsExactly(0, 0.5, 3);
        assertThat(w.sha256()).isEqualTo(Checksums.sha256(f));
    }

    @Test
    void badFilesNameTheFileLineAndProblem() throws Exception {
        assertThatThrownBy(() -> SampleWeights.read(file("id,w\na,1\n"), DS)).isInstanceOf(DataException.class)
                .hasMessageContaining("w.csv, line 1: header must have columns 'id' and 'weight'");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,1\nzz,1\n"), DS))
                .hasMessageContaining("w.csv, line 3: id 'zz' is not a record of the training data");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,1\na,2\n"), DS))
                .hasMessageContaining("line 3: id 'a' appears twice (first on line 2)");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,-1\n"), DS))
                .hasMessageContaining("line 2, column weight: -1.0 is not a finite non-negative number");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,NaN\n"), DS))
                .hasMessageContaining("line 2, column weight: NaN is not a finite non-negative number");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,heavy\n"), DS))
                .hasMessageContaining("line 2, column weight: 'heavy' is not a number");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,1\n"), DS))
                .hasMessageContaining("no weight for 2 of 3 training records (first: id 'b,c')");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,0\n\"b,c\",0\nd,0\n"), DS))
                .hasMessageContaining("all weights are zero");
        assertThatThrownBy(() -> SampleWeights.read(file("id,weight\na,1,2\n"), DS))
                .hasMessageContaining("line 2: 3 fields but the header has 2");
    }
}
