package io.rulescaler.cluster;

import java.util.List;

/** What applying a spec did: created, changed (and how), or nothing. */
public record ApplyResult(String outcome, List<String> changes, ClusterView cluster) {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String UNCHANGED = "unchanged";
}
