package io.rulescaler.cluster;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a node. Transitions allowed:
 *
 * <pre>
 *  REQUESTED ──> PROVISIONING ──> CONFIGURING ──> ACTIVE ──> DRAINING ──> TERMINATING ──> TERMINATED
 *      │              │                │          │  ▲ ▲         │             │
 *      │              │                │          ▼  │ └─cancel──┘             │
 *      │              │                │        UNHEALTHY ──> DRAINING / TERMINATING
 *      │              │                │          │ (health: out of the load balancer at once, replaced surge-first;
 *      │              │                │          │  back to ACTIVE and into the load balancer when healthy
 *      │              │                │          │  before its replacement starts: orchestration.health)
 *      └──────────────┴────────────────┴──────────┴─────────────────────────────┴──> FAILED ──> TERMINATING
 * </pre>
 */
public enum NodeState {
    REQUESTED, PROVISIONING, CONFIGURING, ACTIVE, DRAINING, TERMINATING, TERMINATED, FAILED, UNHEALTHY;

    /** States that count as capacity that exists or is on its way. */
    public static final Set<NodeState> LIVE = EnumSet.of(REQUESTED, PROVISIONING, CONFIGURING, ACTIVE);
    /** States that are still being brought up. */
    public static final Set<NodeState> PENDING = EnumSet.of(REQUESTED, PROVISIONING, CONFIGURING);

    /** Whether a node may move from this state to {@code next}. */
    public boolean canMoveTo(NodeState next) {
        if (next == this) {
            return true;
        }
        return switch (this) {
            case REQUESTED -> next == PROVISIONING || next == FAILED || next == TERMINATING;
            case PROVISIONING -> next == CONFIGURING || next == ACTIVE || next == FAILED || next == TERMINATING;
            case CONFIGURING -> next == ACTIVE || next == FAILED || next == TERMINATING;
            case ACTIVE -> next == DRAINING || next == TERMINATING || next == FAILED || next == CONFIGURING || next == UNHEALTHY;
            case UNHEALTHY -> next == ACTIVE || next == DRAINING || next == TERMINATING || next == FAILED;
            case DRAINING -> next == TERMINATING || next == ACTIVE || next == FAILED;
            case TERMINATING -> next == TERMINATED || next == FAILED;
            case FAILED -> next == TERMINATING || next == TERMINATED;
            case TERMINATED -> false;
        };
    }

    /** Lower-case name as the API shows it. */
    public String label() {
        return name().toLowerCase();
    }
}
