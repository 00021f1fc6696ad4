package org.vae4j.model;

import java.util.List;
import java.util.Locale;

/**
 * Encoder/decoder architecture. The decoder mirrors the encoder.
 *
 * @param type {@code "mlp"} (dense layers) or {@code "conv"} (stride-2 convolutions, then dense layers)
 * @param hidden dense hidden layer widths, encoder order (the decoder uses them reversed); for {@code conv}
 *     these are the dense layers between the flattened feature map and the latent heads (may be empty)
 * @param channels convolution channels per stride-2 stage (conv only; empty for mlp)
 * @param activation activation name, see {@link org.vae4j.nn.Activations}
 * @param dropout dropout rate in [0, 1) after each hidden activation (training only)
 */
public record ArchConfig(String type, List<Integer> hidden, List<Integer> channels, String activation, double dropout) {

    /** Architecture type names. */
    public static final String MLP = "mlp";
    /** Convolutional encoder / upsample+conv decoder. */
    public static final String CONV = "conv";

    /** Validates and normalises. */
    public ArchConfig {
        type = type == null ? MLP : type.toLowerCase(Locale.ROOT);
        if (!type.equals(MLP) && !type.equals(CONV)) {
            throw new IllegalArgumentException("arch must be 'mlp' or 'conv', got '" + type + "'");
        }
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        channels = channels == null ? List.of() : List.copyOf(channels);
        for (int h : hidden) {
            if (h <= 0 || h > 1 << 16) {
                throw new IllegalArgumentException("hidden layer width must be in 1..65536, got " + h);
            }
        }
        for (int c : channels) {
            if (c <= 0 || c > 4096) {
                throw new IllegalArgumentException("channel count must be in 1..4096, got " + c);
            }
        }
        if (type.equals(MLP) && hidden.isEmpty()) {
            throw new IllegalArgumentException("mlp needs at least one hidden layer (e.g. --hidden 400)");
        }
        if (type.equals(MLP) && !channels.isEmpty()) {
            throw new IllegalArgumentException("--channels applies to --arch conv only");
        }
        if (type.equals(CONV) && channels.isEmpty()) {
            throw new IllegalArgumentException("conv needs at least one channel stage (e.g. --channels 32,64)");
        }
        activation = activation == null ? "relu" : activation.toLowerCase(Locale.ROOT);
        org.vae4j.nn.Activations.check(activation);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** An MLP with the given hidden widths and ReLU. */
    public static ArchConfig mlp(Integer... hidden) {
        return new ArchConfig(MLP, List.of(hidden), List.of(), "relu", 0);
    }

    /** A conv stack with the given channels, one dense layer of {@code dense} units (0: none) and ReLU. */
    public static ArchConfig conv(List<Integer> channels, int dense) {
        return new ArchConfig(CONV, dense > 0 ? List.of(dense) : List.of(), channels, "relu", 0);
    }

    /** Same architecture with another activation. */
    public ArchConfig withActivation(String act) {
        return new ArchConfig(type, hidden, channels, act, dropout);
    }

    /** Same architecture with another dropout rate. */
    public ArchConfig withDropout(double rate) {
        return new ArchConfig(type, hidden, channels, activation, rate);
    }
}
