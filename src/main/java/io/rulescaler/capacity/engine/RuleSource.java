package io.rulescaler.capacity.engine;

/** One DRL file: its path relative to the rules root (e.g. {@code default/cpu.drl}) and its text. */
public record RuleSource(String path, String content) {
}
