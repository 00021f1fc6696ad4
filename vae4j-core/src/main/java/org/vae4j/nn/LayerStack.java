package org.vae4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A feed-forward stack of named layers with activation, dropout, reshape and nearest-neighbour upsampling steps.
 * Encoders and decoders are built from it so that their parameters get stable, readable names
 * ({@code encoder.fc1.weight}).
 */
public final class LayerStack extends AbstractBlock {
    private static final byte VERSION = 1;

    private interface Step {
        NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> params);

        Shape outShape(Shape in);

        /** What this step is, for profiles: e.g. {@code "fc1: dense 784→400"}. */
        String describe();

        /** Multiply-adds of this step for one record of input shape {@code in} (0 for element-wise steps). */
        default long multiplyAdds(Shape in) {
            return 0;
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private final List<Block> layerBlocks = new ArrayList<>();
    private final List<Integer> layerStepIndex = new ArrayList<>();

    private LayerStack() {
        super(VERSION);
    }

    /** Starts a stack. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray condition = inputs.size() > 1 ? inputs.get(1) : null;
        for (Step s : steps) {
            x = s.apply(ps, x, condition, training, params);
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        for (Step st : steps) {
            s = st.outShape(s);
        }
        return new Shape[] {s};
    }

    /**
     * Multiply-adds of one forward pass for one record (dense and convolution layers; element-wise steps are not
     * counted): the FLOP count behind the speed benchmarks' matmul-bound limits (a forward pass costs about twice
     * this in FLOPs, a training step about three times the forward).
     *
     * @param recordShape the input shape of one record, without the batch axis
     */
    public long multiplyAdds(Shape recordShape) {
        Shape s = new Shape(prepend(1, recordShape.getShape()));
        long total = 0;
        for (Step st : steps) {
            total += st.multiplyAdds(s);
            s = st.outShape(s);
        }
        return total;
    }

    /**
     * The timing of one step of a stack (see {@link #profile}).
     *
     * @param inputGradient whether the backward pass computed the gradient of the step's input (training does, except
     *     before the first layer): a layer's backward is then 4 FLOPs per multiply-add, else 2
     */
    public record StepTiming(String step, Shape input, long multiplyAdds, double forwardMs, double forwardBackwardMs,
            boolean inputGradient) {
        /** FLOPs of forward plus backward as timed. */
        public double flops() {
            return (inputGradient ? 6.0 : 4.0) * multiplyAdds;
        }
    }

    /**
     * Times each step on its own: the forward pass, and forward plus backward (gradients of the step's input and
     * parameters, as in training: steps before the first layer get no input gradient), on random inputs of the shapes the stack
     * passes along. Best of {@code repeats} timed runs after a warm-up. Dropout runs as in training.
     *
     * @param manager owner of the temporary arrays (each run in its own sub-manager)
     * @param batchInput the stack's input shape with the batch axis
     * @param condition the condition input for conditional stacks, or null
     * @param repeats timed runs per step (at least 1)
     */
    public List<StepTiming> profile(NDManager manager, Shape batchInput, NDArray condition, int repeats) {
        ParameterStore ps = new ParameterStore(manager, false);
        List<StepTiming> out = new ArrayList<>();
        Shape s = batchInput;
        long n = batchInput.get(0);
        boolean afterLayer = false;
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            Shape in = s;
            // in training, the gradient flows back to a step's input only once a layer with parameters lies before it
            boolean inputGradient = afterLayer;
            boolean parameters = hasParameters(i);
            long[] record = java.util.Arrays.copyOfRange(in.getShape(), 1, in.dimension());
            long macs = st.multiplyAdds(new Shape(prepend(1, record)));
            double fwd = org.vae4j.util.Diagnostics.bestMillis(repeats, () -> {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.randomNormal(in);
                    long t0 = System.nanoTime();
                    st.apply(ps, x, condition, false, null).attach(sub);
                    return System.nanoTime() - t0;
                }
            });
            double both = org.vae4j.util.Diagnostics.bestMillis(repeats, () -> {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.randomNormal(in);
                    x.setRequiresGradient(inputGradient);
                    long t0 = System.nanoTime();
                    try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        NDArray y = st.apply(ps, x, condition, true, null);
                        if (inputGradient || parameters) {
                            gc.backward(y.sum());
                        }
                    }
                    return System.nanoTime() - t0;
                }
            });
            out.add(new StepTiming(st.describe(), in, macs * n, fwd, both, inputGradient));
            afterLayer |= parameters;
            s = st.outShape(s);
        }
        return out;
    }

    private boolean hasParameters(int step) {
        return layerStepIndex.contains(step);
    }

    private static long[] prepend(long first, long[] rest) {
        long[] a = new long[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        int next = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (next < layerStepIndex.size() && layerStepIndex.get(next) == i) {
                layerBlocks.get(next).initialize(manager, dataType, s);
                next++;
            }
            s = steps.get(i).outShape(s);
        }
    }

    /** Builds a {@link LayerStack}; layer names must be unique and must not contain '_' or '.'. */
    public static final class Builder {
        private final LayerStack stack = new LayerStack();
        private final List<String> names = new ArrayList<>();

        private Builder() {}

        private void layer(String name, Block block, long fanIn, long macsPerOutput, String what) {
            layer(name, block, fanIn, new Step() {
                @Override
                public String describe() {
                    return name + ": " + what;
                }

                @Override
                public NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> p) {
                    return block.forward(ps, new NDList(x), training, p).singletonOrThrow();
                }

                @Override
                public Shape outShape(Shape in) {
                    return block.getOutputShapes(new Shape[] {in})[0];
                }

                @Override
                public long multiplyAdds(Shape in) {
                    return outShape(in).size() / in.get(0) * macsPerOutput;
                }
            });
        }

        /** Adds a layer whose parameters live in {@code block} and whose forward pass is {@code step}. */
        private void layer(String name, Block block, long fanIn, Step step) {
            if (name.contains("_") || name.contains(".") || names.contains(name)) {
                throw new IllegalArgumentException("bad or duplicate layer name " + name);
            }
            names.add(name);
            block.setInitializer(new FanInUniform(0), Parameter.Type.WEIGHT);
            block.setInitializer(new FanInUniform(fanIn), Parameter.Type.BIAS);
            stack.addChildBlock(name, block);
            stack.layerStepIndex.add(stack.steps.size());
            stack.layerBlocks.add(block);
            stack.steps.add(step);
        }

        /** A dense layer; {@code inUnits} is its fan-in (for PyTorch-style bias initialisation). */
        public Builder dense(String name, long inUnits, long units) {
            layer(name, Linear.builder().setUnits(units).build(), inUnits, inUnits, "dense " + inUnits + "→" + units);
            return this;
        }

        /** A convolution with square kernel, stride and padding; {@code inChannels} sets the fan-in. */
        public Builder conv(String name, long inChannels, int filters, int kernel, int stride, int padding) {
            Conv2d c = Conv2d.builder()
                    .setFilters(filters)
                    .setKernelShape(new Shape(kernel, kernel))
                    .optStride(new Shape(stride, stride))
                    .optPadding(new Shape(padding, padding))
                    .build();
            layer(name, c, inChannels * kernel * kernel, inChannels * kernel * kernel,
                    "conv " + kernel + "×" + kernel + (stride == 1 ? "" : " stride " + stride) + ", " + inChannels + "→" + filters + " channels");
            return this;
        }

        /** An element-wise activation. */
        public Builder activation(UnaryOperator<NDArray> f) {
            stack.steps.add(new Step() {
                @Override
                public String describe() {
                    return "activation";
                }

                @Override
                public NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> p) {
                    return f.apply(x);
                }

                @Override
                public Shape outShape(Shape in) {
                    return in;
                }
            });
            return this;
        }

        /** Dropout with the given rate (a no-op at rate 0 or outside training). */
        public Builder dropout(double rate) {
            if (rate <= 0) {
                return this;
            }
            stack.steps.add(new Step() {
                @Override
                public String describe() {
                    return "dropout " + rate;
                }

                @Override
                public NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> p) {
                    return training ? Dropout.dropout(x, (float) rate, true).singletonOrThrow() : x;
                }

                @Override
                public Shape outShape(Shape in) {
                    return in;
                }
            });
            return this;
        }

        /**
         * Appends the condition (the forward pass's second input, {@code (N, width)}, e.g. a one-hot label) to flat
         * features {@code (N, F)}: the conditional VAE's way of giving the label to encoder and decoder.
         */
        public Builder condition(long width) {
            if (width <= 0) {
                return this;
            }
            stack.steps.add(new Step() {
                @Override
                public String describe() {
                    return "append condition (" + width + ")";
                }

                @Override
                public NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> p) {
                    if (condition == null || condition.getShape().get(1) != width) {
                        throw new IllegalArgumentException("this network needs a condition of width " + width
                                + (condition == null ? ", got none" : ", got " + condition.getShape()));
                    }
                    return x.concat(condition, 1);
                }

                @Override
                public Shape outShape(Shape in) {
                    return new Shape(in.get(0), in.get(1) + width);
                }
            });
            return this;
        }

        /** Reshapes to {@code (N, dims...)}. */
        public Builder reshape(long... dims) {
            stack.steps.add(new Step() {
                @Override
                public String describe() {
                    return "reshape";
                }

                @Override
                public NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> p) {
                    return x.reshape(withBatch(x.getShape().get(0)));
                }

                @Override
                public Shape outShape(Shape in) {
                    return withBatch(in.get(0));
                }

                private Shape withBatch(long n) {
                    long[] s = new long[dims.length + 1];
                    s[0] = n;
                    System.arraycopy(dims, 0, s, 1, dims.length);
                    return new Shape(s);
                }
            });
            return this;
        }

        /**
         * Nearest-neighbour upsampling by 2 in H and W followed by a 3×3 convolution (stride 1, padding 1) named
         * {@code name}: the convolutional decoder's stage. The parameters are exactly those of
         * {@code upsample2().conv(name, inChannels, filters, 3, 1, 1)} (same names, shapes and initialisation), so
         * saved models are interchangeable; the forward pass is computed as a sub-pixel convolution, see
         * {@link SubPixel}.
         */
        public Builder upsampleConv(String name, long inChannels, int filters) {
            if (!SubPixel.enabled()) {
                return upsample2().conv(name, inChannels, filters, 3, 1, 1);
            }
            Conv2d c = Conv2d.builder()
                    .setFilters(filters)
                    .setKernelShape(new Shape(3, 3))
                    .optStride(new Shape(1, 1))
                    .optPadding(new Shape(1, 1))
                    .build();
            layer(name, c, inChannels * 9, new Step() {
                @Override
                public String describe() {
                    return name + ": upsample ×2 + conv 3×3 (sub-pixel), " + inChannels + "→" + filters + " channels";
                }

                @Override
                public NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> p) {
                    NDArray w = ps.getValue(c.getParameters().get("weight"), x.getDevice(), training);
                    NDArray b = ps.getValue(c.getParameters().get("bias"), x.getDevice(), training);
                    return SubPixel.upsampleConv3x3(x, w, b);
                }

                @Override
                public Shape outShape(Shape in) {
                    return new Shape(in.get(0), filters, in.get(2) * 2, in.get(3) * 2);
                }

                @Override
                public long multiplyAdds(Shape in) {
                    // the same count as convolving the upsampled image: 4·C_out phase channels × 3×3 × C_in per input pixel
                    return outShape(in).size() / in.get(0) * inChannels * 9;
                }
            });
            return this;
        }

        /** Nearest-neighbour upsampling by 2 in H and W (DJL's PyTorch engine has no transposed convolution). */
        public Builder upsample2() {
            stack.steps.add(new Step() {
                @Override
                public String describe() {
                    return "upsample ×2 (nearest)";
                }

                @Override
                public NDArray apply(ParameterStore ps, NDArray x, NDArray condition, boolean training, PairList<String, Object> p) {
                    return x.repeat(2, 2).repeat(3, 2);
                }

                @Override
                public Shape outShape(Shape in) {
                    return new Shape(in.get(0), in.get(1), in.get(2) * 2, in.get(3) * 2);
                }
            });
            return this;
        }

        /** The finished stack. */
        public LayerStack build() {
            if (stack.steps.isEmpty()) {
                throw new IllegalStateException("empty layer stack");
            }
            return stack;
        }
    }
}
