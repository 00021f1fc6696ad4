package org.vae4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One reusable native buffer for batches of model input.
 *
 * <p>Why: DJL's {@code manager.create(float[])} copies into a fresh direct {@link ByteBuffer} that the tensor then
 * wraps without copying; that memory is released only when the garbage collector gets to the buffer object, so a
 * training loop creating one per step grows its resident memory by hundreds of MB per epoch between collections.
 * The tensor returned by {@link #wrap} aliases this buffer: it must be closed (with its step's sub-manager) before
 * the next call.
 */
public final class InputBuffer {
    private ByteBuffer buffer;

    /** Copies {@code length} values from {@code src} into the buffer and returns a tensor over them. */
    public NDArray wrap(NDManager manager, float[] src, int offset, int length, Shape shape) {
        if (shape.size() != length) {
            throw new IllegalArgumentException("shape " + shape + " does not hold " + length + " values");
        }
        int bytes = Math.multiplyExact(length, 4);
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(bytes);
        view.asFloatBuffer().put(src, offset, length);
        return manager.create(view.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32);
    }
}
