package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskTest {
    @TempDir
    Path tmp;

    @Test
    void bottomHalfOfAnOddImageHidesTheLowerRowsFromTheMiddle() {
        Mask m = Mask.parse("bottom-half", 5, 4);
        assertThat(m.missingPixels()).isEqualTo(3 * 4);
        assertThat(m.isMissing(0, 1)).isFalse();
        assertThat(m.isMissing(0, 2)).isTrue();
        assertThat(m.isMissing(3, 4)).isTrue();
    }

    @Test
    void aMaskFromFlagsCopiesThemAndChecksTheirCount() {
        boolean[] f = new boolean[3 * 2];
        f[1] = true; // x = 1, y = 0
        f[4] = true; // x = 0, y = 2
        Mask m = Mask.of("drawn", 3, 2, f);
        f[0] = true;
        assertThat(m.missingPixels()).isEqualTo(2);
        assertThat(m.isMissing(1, 0)).isTrue();
        assertThat(m.isMissing(0, 2)).isTrue();
        assertThat(m.isMissing(0, 0)).isFalse();
        assertThatThrownBy(() -> Mask.of("drawn", 3, 2, new boolean[5])).hasMessageContaining("expected 6 flags");
        assertThatThrownBy(() -> Mask.of("drawn", 3, 2, new boolean[6])).hasMessageContaining("hides no pixels");
    }

    @Test
    void rightHalfHidesTheRightColumns() {
        Mask m = Mask.parse("right-half", 28, 28);
        assertThat(m.missingPixels()).isEqualTo(14 * 28);
        assertThat(m.isMissing(13, 5)).isFalse();
        assertThat(m.isMissing(14, 5)).isTrue();
    }

    @Test
    void centerAndBoxHaveTheirGeometry() {
        Mask c = Mask.parse("center:4", 10, 10);
        assertThat(c.missingPixels()).isEqualTo(16);
        assertThat(c.isMissing(3, 3)).isTrue();
        assertThat(c.isMissing(6, 6)).isTrue();
        assertThat(c.isMissing(2, 3)).isFalse();
        assertThat(c.isMissing(7, 7)).isFalse();

        Mask b = Mask.parse("box:1,2,3,4", 10, 8);
        assertThat(b.missingPixels()).isEqualTo(12);
        assertThat(b.isMissing(1, 2)).isTrue();
        assertThat(b.isMissing(3, 5)).isTrue();
        assertThat(b.isMissing(4, 5)).isFalse();
        assertThat(b.isMissing(1, 6)).isFalse();
        assertThat(b.isMissing(0, 2)).isFalse();
    }

    @Test
    void outsideAWindowKeepsOnlyTheCentre() {
        Mask m = Mask.outside(8, 8, 4);
        assertThat(m.missingPixels()).isEqualTo(64 - 16);
        assertThat(m.isMissing(2, 2)).isFalse();
        assertThat(m.isMissing(5, 5)).isFalse();
        assertThat(m.isMissing(1, 2)).isTrue();
        assertThat(m.isMissing(6, 5)).isTrue();
    }

    @Test
    void valuesRepeatThePixelMaskForEveryChannelAndFillReplacesOnlyMissingValues() {
        Mask m = Mask.parse("box:0,0,1,1", 2, 2);
        assertThat(m.values(3)).containsExactly(true, false, false, false, true, false, false, false, true, false, false, false);
        float[] x = {0.1f, 0.2f, 0.3f, 0.4f, 0.9f, 0.8f, 0.7f, 0.6f};
        assertThat(m.fill(x, 2, 1, 0.5f)).containsExactly(0.5f, 0.2f, 0.3f, 0.4f, 0.5f, 0.8f, 0.7f, 0.6f);
    }

    @Test
    void regionsOutsideTheImageAreRejectedNamingTheImageSize() {
        assertThatThrownBy(() -> Mask.parse("box:30,30,10,10", 28, 28))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask box:30,30,10,10 lies outside the 28×28 image");
        assertThatThrownBy(() -> Mask.parse("box:20,20,10,10", 28, 28))
                .hasMessage("mask box:20,20,10,10 extends beyond the 28×28 image");
        assertThatThrownBy(() -> Mask.parse("center:40", 28, 28)).hasMessage("mask center:40 is larger than the 28×28 image");
        assertThatThrownBy(() -> Mask.parse("box:-1,0,2,2", 28, 28)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Mask.parse("box:1,2,3", 28, 28)).hasMessageContaining("expected 4 comma-separated numbers");
        assertThatThrownBy(() -> Mask.parse("box:1,2,x,3", 28, 28)).hasMessageContaining("'x' is not a whole number");
        assertThatThrownBy(() -> Mask.parse("top-half", 28, 28)).hasMessageStartingWith("unknown mask 'top-half'");
        assertThatThrownBy(() -> Mask.outside(28, 28, 28)).hasMessageContaining("nothing is left to fill");
        assertThatThrownBy(() -> Mask.outside(28, 28, 30)).hasMessage("--window 30 is larger than the 28×28 image");
    }

    @Test
    void aPngMaskMarksWhitePixelsMissingAndMustMatchTheImageSize() throws Exception {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 0, 0xffffff);
        img.setRGB(3, 2, 0xf0f0f0);
        img.setRGB(2, 1, 0x404040);
        Path f = tmp.resolve("mask.png");
        ImageIO.write(img, "png", f.toFile());
        Mask m = Mask.parse(f.toString(), 3, 4);
        assertThat(m.missingPixels()).isEqualTo(2);
        assertThat(m.isMissing(1, 0)).isTrue();
        assertThat(m.isMissing(3, 2)).isTrue();
        assertThat(m.isMissing(2, 1)).isFalse();
        assertThatThrownBy(() -> Mask.parse(f.toString(), 4, 4)).hasMessageContaining("is 4×3 but the image is 4×4");
        assertThatThrownBy(() -> Mask.parse(tmp.resolve("none.png").toString(), 3, 4)).hasMessageContaining("does not exist");
        BufferedImage black = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        Path g = tmp.resolve("black.png");
        ImageIO.write(black, "png", g.toFile());
        assertThatThrownBy(() -> Mask.parse(g.toString(), 3, 4)).hasMessageContaining("hides no pixels");
    }
}
