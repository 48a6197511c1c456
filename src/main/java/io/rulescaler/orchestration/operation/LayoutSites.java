package io.rulescaler.orchestration.operation;

import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.placement.LayoutPlacement;
import io.rulescaler.placement.LayoutPlacement.Site;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands the pure {@link LayoutPlacement} a cluster's layout and its nodes' sites (profile and zone;
 * a node without a profile lives on the cluster's provider), for new nodes and for scale-in.
 */
final class LayoutSites {

    private LayoutSites() {
    }

    /** The weighted sites of the (effective) spec: its layout, else its template's zones. */
    static Map<Site, Integer> weights(ClusterSpec spec) {
        return LayoutPlacement.sites(spec.layout(), spec.provider(), spec.template() == null ? null : spec.template().zones());
    }

    static Site siteOf(ClusterSpec spec, NodeEntity n) {
        return new Site(spec.profileOr(n.profile), n.zone);
    }

    /** Live nodes per site now. */
    static Map<Site, Long> live(ClusterSpec spec, List<NodeEntity> all) {
        Map<Site, Long> live = new HashMap<>();
        all.stream().filter(n -> NodeState.LIVE.contains(n.state)).forEach(n -> live.merge(siteOf(spec, n), 1L, Long::sum));
        return live;
    }

    /** Sites for {@code count} new nodes by the layout's weights. */
    static List<Site> forNew(ClusterSpec spec, List<NodeEntity> all, int count) {
        return LayoutPlacement.assign(weights(spec), live(spec, all), count, spec.provider());
    }

    /** Of the candidates in leaving order, the {@code count} whose leaving keeps the layout's weights. */
    static List<NodeEntity> leaving(ClusterSpec spec, List<NodeEntity> all, List<NodeEntity> ordered, int count) {
        return LayoutPlacement.keepWeights(ordered, count, n -> siteOf(spec, n), n -> n.state == NodeState.ACTIVE,
                weights(spec), live(spec, all));
    }
}
