package io.rulescaler.security;

import java.util.List;
import java.util.Set;

/**
 * The roles a token can carry; admin includes operator, which includes viewer. {@code node} tokens
 * are issued by the chain that deploys a node, bound to that node, and may only post its heartbeat.
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    /** May only post signals (Alertmanager, sample pushers, heartbeats). */
    public static final String WEBHOOK = "webhook";

    /** A node's agent: may post only its own node's heartbeat; issued per node, never through the tokens API. */
    public static final String NODE = "node";

    /** Roles the tokens API issues. */
    public static final List<String> ALL = List.of(VIEWER, OPERATOR, ADMIN, WEBHOOK);

    private Roles() {
    }

    /** The roles a token of {@code role} effectively holds. */
    public static Set<String> implied(String role) {
        return switch (role) {
            case ADMIN -> Set.of(ADMIN, OPERATOR, VIEWER);
            case OPERATOR -> Set.of(OPERATOR, VIEWER);
            case VIEWER -> Set.of(VIEWER);
            case WEBHOOK -> Set.of(WEBHOOK);
            case NODE -> Set.of(NODE);
            default -> Set.of();
        };
    }
}
