package io.rulescaler.security;

import java.util.List;
import java.util.Set;

/** The four roles a token can carry; admin includes operator, which includes viewer. */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    /** May only post signals (Alertmanager, sample pushers, heartbeats). */
    public static final String WEBHOOK = "webhook";

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
            default -> Set.of();
        };
    }
}
