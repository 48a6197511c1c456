package io.rulescaler.capacity.engine;

/**
 * A rule an evaluation stopped for its cluster because it reached a cap, so one runaway rule costs its own
 * decisions, not the cluster's: its name, the file it comes from (its set's path, e.g. {@code web/loop.drl}),
 * which cap it reached and a sentence for people.
 */
public record StoppedRule(String rule, String file, Cap cap, long count, String cause) {

    /** The cap a stopped rule reached. */
    public enum Cap {
        /** It fired (alone or in a loop with others) until the evaluation's firing cap. */
        FIRINGS,
        /** The session reached its fact cap and this rule held the most facts it had inserted. */
        FACTS
    }
}
