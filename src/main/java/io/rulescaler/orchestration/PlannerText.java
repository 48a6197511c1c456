package io.rulescaler.orchestration;

/** Small text helpers for bounded columns. */
final class PlannerText {

    private PlannerText() {
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "...";
    }
}
