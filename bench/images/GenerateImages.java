import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * Writes N procedural SIZE×SIZE RGB PNGs (a coloured disc, square or ring on a tinted background, with a gradient)
 * into DIR/<shape>/NNNNNNN.png, in parallel. Run with the JDK's source launcher:
 * {@code java bench/images/GenerateImages.java DIR N [SIZE=64] [THREADS=nproc]}.
 */
public class GenerateImages {
    static final String[] SHAPES = {"disc", "square", "ring"};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        for (String s : SHAPES) {
            Files.createDirectories(dir.resolve(s));
        }
        ImageIO.setUseCache(false);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> parts = new ArrayList<>();
        int per = (n + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * per;
            int to = Math.min(n, from + per);
            parts.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    write(dir, i, size);
                }
                return null;
            }));
        }
        for (Future<?> f : parts) {
            f.get();
        }
        pool.shutdown();
    }

    static void write(Path dir, int i, int size) throws Exception {
        SplittableRandom r = new SplittableRandom(0x1234L * 31 + i);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color bg = new Color(r.nextInt(60), r.nextInt(60), r.nextInt(60));
        g.setPaint(new java.awt.GradientPaint(0, 0, bg, size, size, bg.brighter()));
        g.fillRect(0, 0, size, size);
        int shape = r.nextInt(3);
        int s = size / 4 + r.nextInt(size / 3);
        int x = r.nextInt(size - s);
        int y = r.nextInt(size - s);
        g.setColor(Color.getHSBColor(r.nextFloat(), 0.5f + r.nextFloat() / 2, 0.6f + r.nextFloat() * 0.4f));
        switch (shape) {
            case 0 -> g.fillOval(x, y, s, s);
            case 1 -> g.fillRect(x, y, s, s);
            default -> {
                g.setStroke(new BasicStroke(Math.max(2, s / 6f)));
                g.drawOval(x, y, s, s);
            }
        }
        g.dispose();
        File f = dir.resolve(SHAPES[shape]).resolve(String.format("%07d.png", i)).toFile();
        ImageIO.write(img, "png", f);
    }
}
