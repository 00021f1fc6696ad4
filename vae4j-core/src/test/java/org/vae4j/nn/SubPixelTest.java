package org.vae4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.vae4j.model.ArchConfig;

class SubPixelTest {
    private static final Shape ONE = new Shape(1, 1);

    /** The reference: upsample by repeating each pixel, then a 3×3 convolution with padding 1. */
    private static NDArray reference(NDArray x, NDArray w, NDArray b) {
        return Conv2d.conv2d(x.repeat(2, 2).repeat(3, 2), w, b, ONE, ONE, ONE).singletonOrThrow();
    }

    @ParameterizedTest
    @CsvSource({"3,5,4,7,7", "2,1,3,4,6", "4,8,1,14,14", "1,2,2,1,1", "2,3,5,5,2"})
    void equalsUpsampleThenConvolveInValueAndGradient(int n, int in, int out, int h, int w) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(n, in, h, w));
            NDArray weight = m.randomNormal(new Shape(out, in, 3, 3));
            NDArray bias = m.randomNormal(new Shape(out));
            NDArray upstream = m.randomNormal(new Shape(n, out, 2 * h, 2 * w));
            NDArray[] ref = valueAndGradients(x, weight, bias, upstream, false);
            NDArray[] sub = valueAndGradients(x, weight, bias, upstream, true);
            assertThat(sub[0].getShape()).isEqualTo(new Shape(n, out, 2 * h, 2 * w));
            for (int i = 0; i < ref.length; i++) {
                float scale = ref[i].abs().max().getFloat() + 1;
                float diff = ref[i].sub(sub[i]).abs().max().getFloat();
                assertThat(diff / scale).as("part %d (value, dx, dweight, dbias)", i).isLessThan(2e-6f);
            }
        }
    }

    private static NDArray[] valueAndGradients(NDArray x0, NDArray w0, NDArray b0, NDArray upstream, boolean subPixel) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        NDArray b = b0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = subPixel ? SubPixel.upsampleConv3x3(x, w, b) : reference(x, w, b);
            gc.backward(y.mul(upstream).sum());
        }
        return new NDArray[] {y, x.getGradient().duplicate(), w.getGradient().duplicate(), b.getGradient().duplicate()};
    }

    @Test
    void decodersBuiltEitherWayHaveTheSameParametersAndOutputs() {
        ArchConfig arch = new ArchConfig(ArchConfig.CONV, List.of(12), List.of(4, 6), "relu", 0);
        List<Integer> shape = List.of(1, 8, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            LayerStack fast = Networks.decoder(arch, shape, 3, 1);
            String previous = System.getProperty(SubPixel.PROPERTY);
            LayerStack plain;
            System.setProperty(SubPixel.PROPERTY, "false");
            try {
                plain = Networks.decoder(arch, shape, 3, 1);
            } finally {
                if (previous == null) {
                    System.clearProperty(SubPixel.PROPERTY);
                } else {
                    System.setProperty(SubPixel.PROPERTY, previous);
                }
            }
            Shape in = new Shape(5, 3);
            fast.initialize(m, DataType.FLOAT32, in);
            plain.initialize(m, DataType.FLOAT32, in);
            var fp = fast.getParameters();
            var pp = plain.getParameters();
            assertThat(fp.keys()).isEqualTo(pp.keys());
            for (int i = 0; i < fp.size(); i++) {
                Parameter p = pp.valueAt(i);
                assertThat(fp.valueAt(i).getArray().getShape()).isEqualTo(p.getArray().getShape());
                p.getArray().set(fp.valueAt(i).getArray().toFloatArray()); // same weights in both
            }
            NDArray z = m.randomNormal(in);
            NDArray a = fast.forward(new ParameterStore(m, false), new NDList(z), false).singletonOrThrow();
            NDArray b = plain.forward(new ParameterStore(m, false), new NDList(z), false).singletonOrThrow();
            assertThat(a.getShape()).isEqualTo(new Shape(5, 1, 64));
            assertThat(a.sub(b).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }
}
