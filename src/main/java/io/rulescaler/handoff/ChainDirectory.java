package io.rulescaler.handoff;

import java.util.Optional;

/**
 * The chains that exist, as the deciding side may know them: implemented by the orchestrator's
 * chain catalog, read by the chain guard, so that capacity never imports orchestration.
 */
public interface ChainDirectory {

    /** The terms of a loaded, valid chain; empty when no such chain is loaded. */
    Optional<ChainTerms> terms(String chain);
}
