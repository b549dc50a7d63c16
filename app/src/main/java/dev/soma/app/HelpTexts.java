package dev.soma.app;

import java.util.ListResourceBundle;

/**
 * The help of a shared option ({@link Options}) where a command says more than the option's own
 * text. It is {@link Main}'s resource bundle, which every command inherits; picocli looks up
 * {@code soma.COMMAND.OPTION} (the option's name without dashes) here first and falls back to the
 * option's description. {@code ${DEFAULT-VALUE}} is filled in as in an annotation.
 */
public final class HelpTexts extends ListResourceBundle {

    @Override
    protected Object[][] getContents() {
        return new Object[][] {
            {"soma.train.seed", "Seed of the initial weights, the shuffling and toy data (default: ${DEFAULT-VALUE})."},
            {"soma.eval.seed", "Seed of toy test sets and folder splits, as given to soma train (default: ${DEFAULT-VALUE})."},
            {"soma.train.plot", "Save the loss and accuracy curves here."},
            {"soma.eval.plot", "Save the confusion matrix as a picture."},
            {"soma.demo.plot", "Save a picture (with several demos, one per demo: FILE-NAME.png)."},
            {"soma.predict.json", "Print one JSON object with the predictions as the last line."},
            {"soma.info.json", "Print one JSON object with the same facts as the last line."},
            {"soma.bench.json", "Print one JSON object as the last line."},
            {"soma.playground.seed", "The seed new experiments start with (default: ${DEFAULT-VALUE})."},
            {"soma.playground.json", "Print one JSON object (url, host, port) as the last line once serving."},
        };
    }
}
