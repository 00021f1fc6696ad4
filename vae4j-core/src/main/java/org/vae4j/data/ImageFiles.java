package org.vae4j.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Single pictures from files, for commands that take a user's own image instead of a record of a data set: decoded
 * exactly as the {@code images:DIR} source decodes a folder (area-averaging resize, Rec. 601 luminance for grey).
 */
public final class ImageFiles {
    private ImageFiles() {}

    /**
     * Reads a PNG, JPEG, BMP or GIF as a record of the given shape.
     *
     * @param file the image
     * @param channels 1 (grey) or 3 (RGB)
     * @param height output height; the picture is resized (squashed, not cropped) to it
     * @param width output width
     * @return {@code channels × height × width} values in [0, 1], channel-major
     * @throws DataException naming the file and the problem when it is missing or cannot be decoded
     */
    public static float[] read(Path file, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if (!Files.isRegularFile(file)) {
            String what = org.vae4j.io.FileKinds.notRegular(file);
            throw new DataException(file + ": " + (what == null ? "no such image file" : what));
        }
        byte[] pixels;
        try {
            pixels = ImageDecoder.decode(file, width, height, false, channels, new int[2]);
        } catch (ImageDecoder.BadImage e) {
            throw new DataException(file + ": cannot read the image: " + e.getMessage());
        }
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[i] & 0xff) / 255f;
        }
        return out;
    }
}
