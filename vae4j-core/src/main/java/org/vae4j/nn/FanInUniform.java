package org.vae4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialisation for linear and convolution layers: U(−1/√fan_in, 1/√fan_in) for weights and
 * biases. Matching it lets results be compared with the PyTorch reference runs.
 */
public final class FanInUniform implements Initializer {
    private final long fanIn;

    /**
     * @param fanIn fan-in for bias vectors; {@code <= 0} derives it from a weight's shape (all but the first axis)
     */
    public FanInUniform(long fanIn) {
        this.fanIn = fanIn;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long f = fanIn > 0 ? fanIn : shape.size() / shape.get(0);
        float bound = (float) (1.0 / Math.sqrt(f));
        return manager.randomUniform(-bound, bound, shape, dataType);
    }
}
