package org.vae4j.cli;

import org.vae4j.latent.Mask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vae4j outfill}. */
@Command(name = "outfill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Keep only a centred window of a test record and let the model fill everything around it; writes",
            "input (missing pixels mid-grey) | mask (white = missing) | fill | truth. A conditional model (cvae) fills given the record's own",
            "label, or --label K."})
final class OutfillCommand extends FillCommand {
    @Option(names = "--window", required = true, paramLabel = "SIZE", description = "Side of the centred square that stays observed.")
    int window;

    @Override
    Mask mask(int height, int width) {
        return Mask.outside(height, width, window);
    }

    @Override
    String verb() {
        return "outfill";
    }
}
