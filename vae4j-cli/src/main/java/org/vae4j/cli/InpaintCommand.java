package org.vae4j.cli;

import org.vae4j.latent.Mask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae4j inpaint}. */
@Command(name = "inpaint", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fill the masked pixels of a test record with the model, keeping the observed ones; writes",
            "input (missing pixels mid-grey) | mask (white = missing) | fill | truth. A conditional model (cvae) fills given the record's own",
            "label, or --label K."})
final class InpaintCommand extends FillCommand {
    @Option(names = "--mask", required = true, paramLabel = "MASK",
            description = "bottom-half, right-half, center:SIZE, box:x,y,w,h or FILE.png (white = missing, the image's size).")
    String maskSpec;

    @Override
    Mask mask(int height, int width) {
        return Mask.parse(maskSpec, height, width);
    }

    @Override
    String verb() {
        return "inpaint";
    }
}
