package io.rulescaler.orchestration.operation;

/** Small text helpers for bounded columns. */
public final class PlannerText {

    private PlannerText() {
    }

    public static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "...";
    }
}
