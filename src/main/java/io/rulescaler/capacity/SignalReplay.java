package io.rulescaler.capacity;

import io.rulescaler.capacity.engine.RuleSession;

/**
 * Lets a signal source put back what it stored when a cluster's session is (re)created, e.g. the
 * alerts still firing after a restart. Implemented upstream (signal package), called here, so the
 * data still flows one way.
 */
public interface SignalReplay {

    /** Inserts the stored signals of {@code cluster} that should be in a fresh session. */
    void replay(String cluster, RuleSession session);
}
