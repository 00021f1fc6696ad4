package org.vae4j.nn;

import java.util.List;
import java.util.function.UnaryOperator;
import ai.djl.ndarray.NDArray;
import org.vae4j.model.ArchConfig;

/** Builds encoder and decoder stacks from an {@link ArchConfig}. */
public final class Networks {
    private Networks() {}

    /**
     * The encoder: (conv stages →) flatten → dense hidden layers → a dense head of {@code outUnits}.
     *
     * @param arch architecture
     * @param inputShape record shape ({@code [C,H,W]} or {@code [D]})
     * @param outUnits head width (latent for an AE, 2×latent for μ and log σ²)
     */
    public static LayerStack encoder(ArchConfig arch, List<Integer> inputShape, int outUnits) {
        return encoder(arch, inputShape, outUnits, 0);
    }

    /**
     * The encoder of a conditional model: as {@link #encoder(ArchConfig, List, int)}, with a condition of
     * {@code conditionWidth} values (the forward pass's second input) appended to the flattened features, after
     * the convolutions and before the dense layers.
     */
    public static LayerStack encoder(ArchConfig arch, List<Integer> inputShape, int outUnits, int conditionWidth) {
        UnaryOperator<NDArray> act = Activations.get(arch.activation());
        LayerStack.Builder b = LayerStack.builder();
        long in;
        if (arch.type().equals(ArchConfig.CONV)) {
            long ch = inputShape.get(0);
            long h = inputShape.get(1);
            long w = inputShape.get(2);
            for (int i = 0; i < arch.channels().size(); i++) {
                int out = arch.channels().get(i);
                b.conv("conv" + (i + 1), ch, out, 4, 2, 1).activation(act).dropout(arch.dropout());
                ch = out;
                h /= 2;
                w /= 2;
            }
            in = ch * h * w;
        } else {
            in = product(inputShape);
        }
        b.reshape(in);
        b.condition(conditionWidth);
        in += conditionWidth;
        for (int i = 0; i < arch.hidden().size(); i++) {
            int units = arch.hidden().get(i);
            b.dense("fc" + (i + 1), in, units).activation(act).dropout(arch.dropout());
            in = units;
        }
        b.dense("head", in, outUnits);
        return b.build();
    }

    /**
     * The decoder, mirroring the encoder: dense layers (→ reshape → [upsample ×2 → 3×3 conv] per stage, computed as
     * a sub-pixel convolution: {@link LayerStack.Builder#upsampleConv}) →
     * {@code paramsPerValue} outputs per input value, shaped {@code (N, P, D)}.
     */
    public static LayerStack decoder(ArchConfig arch, List<Integer> inputShape, int latent, int paramsPerValue) {
        return decoder(arch, inputShape, latent, paramsPerValue, 0);
    }

    /** The decoder of a conditional model: the condition is appended to the code before the first layer. */
    public static LayerStack decoder(ArchConfig arch, List<Integer> inputShape, int latent, int paramsPerValue, int conditionWidth) {
        UnaryOperator<NDArray> act = Activations.get(arch.activation());
        LayerStack.Builder b = LayerStack.builder();
        long d = product(inputShape);
        b.condition(conditionWidth);
        long in = (long) latent + conditionWidth;
        List<Integer> hidden = arch.hidden();
        int fc = 1;
        for (int i = hidden.size() - 1; i >= 0; i--) {
            int units = hidden.get(i);
            b.dense("fc" + fc++, in, units).activation(act).dropout(arch.dropout());
            in = units;
        }
        if (arch.type().equals(ArchConfig.CONV)) {
            List<Integer> ch = arch.channels();
            int stages = ch.size();
            long h = inputShape.get(1) >> stages;
            long w = inputShape.get(2) >> stages;
            long c = ch.get(stages - 1);
            b.dense("fc" + fc, in, c * h * w).activation(act).dropout(arch.dropout());
            b.reshape(c, h, w);
            for (int s = stages - 1; s >= 0; s--) {
                boolean last = s == 0;
                int out = last ? inputShape.get(0) * paramsPerValue : ch.get(s - 1);
                b.upsampleConv("conv" + (stages - s), c, out);
                if (!last) {
                    b.activation(act).dropout(arch.dropout());
                }
                c = out;
            }
        } else {
            b.dense("out", in, paramsPerValue * d);
        }
        // conv output channels are ordered (p, c), so this reshape groups each parameter's values
        b.reshape(paramsPerValue, d);
        return b.build();
    }

    static long product(List<Integer> shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * Number of trainable values the encoder and decoder built by {@link #encoder} and {@link #decoder} will have,
     * computed without allocating anything (so an absurd configuration can be refused before it is built).
     */
    public static long parameterCount(ArchConfig arch, List<Integer> inputShape, int latent, int encoderOutputs, int paramsPerValue) {
        return parameterCount(arch, inputShape, latent, encoderOutputs, paramsPerValue, 0);
    }

    /** {@link #parameterCount(ArchConfig, List, int, int, int)} for networks given a condition of this width. */
    public static long parameterCount(ArchConfig arch, List<Integer> inputShape, int latent, int encoderOutputs, int paramsPerValue,
            int conditionWidth) {
        long d = product(inputShape);
        long n = 0;
        long in;
        List<Integer> hidden = arch.hidden();
        if (arch.type().equals(ArchConfig.CONV)) {
            long ch = inputShape.get(0);
            long h = inputShape.get(1);
            long w = inputShape.get(2);
            for (int c : arch.channels()) {
                n = Math.addExact(n, Math.addExact(Math.multiplyExact(ch * 16, c), c));
                ch = c;
                h /= 2;
                w /= 2;
            }
            in = ch * h * w;
        } else {
            in = d;
        }
        in += conditionWidth;
        for (int units : hidden) {
            n = Math.addExact(n, Math.addExact(Math.multiplyExact(in, units), units));
            in = units;
        }
        n = Math.addExact(n, Math.addExact(Math.multiplyExact(in, encoderOutputs), encoderOutputs));
        in = (long) latent + conditionWidth;
        for (int i = hidden.size() - 1; i >= 0; i--) {
            n = Math.addExact(n, Math.addExact(Math.multiplyExact(in, hidden.get(i)), hidden.get(i)));
            in = hidden.get(i);
        }
        if (arch.type().equals(ArchConfig.CONV)) {
            List<Integer> ch = arch.channels();
            int stages = ch.size();
            long c = ch.get(stages - 1);
            long cells = c * (inputShape.get(1) >> stages) * (inputShape.get(2) >> stages);
            n = Math.addExact(n, Math.addExact(Math.multiplyExact(in, cells), cells));
            for (int s = stages - 1; s >= 0; s--) {
                long out = s == 0 ? (long) inputShape.get(0) * paramsPerValue : ch.get(s - 1);
                n = Math.addExact(n, Math.addExact(Math.multiplyExact(c * 9, out), out));
                c = out;
            }
        } else {
            n = Math.addExact(n, Math.addExact(Math.multiplyExact(in, paramsPerValue * d), paramsPerValue * d));
        }
        return n;
    }
}
