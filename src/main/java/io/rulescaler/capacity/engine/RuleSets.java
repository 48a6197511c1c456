package io.rulescaler.capacity.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds rule sets. A rule set is a folder of {@code .drl} files: the shipped ones live on the
 * class path under {@code rules/<set>/} (listed in {@code rules/index.txt}), the operator's in
 * {@code <rules directory>/<set>/}. An operator file replaces the shipped file of the same name in
 * the same set; other operator files add to it.
 */
public final class RuleSets {

    public static final String INDEX = "rules/index.txt";

    private RuleSets() {
    }

    /** The shipped rule sets, by name. */
    public static Map<String, List<RuleSource>> shipped() {
        Map<String, List<RuleSource>> sets = new TreeMap<>();
        ClassLoader cl = RuleSets.class.getClassLoader();
        String index = read(cl, INDEX);
        if (index == null) {
            return sets;
        }
        for (String line : index.split("\n")) {
            String path = line.trim();
            if (path.isEmpty() || path.startsWith("#")) {
                continue;
            }
            String content = read(cl, "rules/" + path);
            if (content == null) {
                throw new IllegalStateException("rules/index.txt lists " + path + " but the class path lacks it");
            }
            sets.computeIfAbsent(setOf(path), k -> new ArrayList<>()).add(new RuleSource(path, content));
        }
        return sets;
    }

    /**
     * The rule sets in a folder: each sub-folder is a set; {@code .drl} files directly in the folder
     * form a set named after the folder (handy for {@code check-rules my-rules/}).
     */
    public static Map<String, List<RuleSource>> directory(Path dir) {
        Map<String, List<RuleSource>> sets = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return sets;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl") && Files.isRegularFile(p)).sorted().toList()) {
                Path rel = dir.relativize(f);
                String path = rel.getNameCount() == 1
                        ? name(dir) + "/" + rel
                        : rel.toString().replace('\\', '/');
                sets.computeIfAbsent(setOf(path), k -> new ArrayList<>())
                        .add(new RuleSource(path, Files.readString(f, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules folder " + dir, e);
        }
        return sets;
    }

    /** Shipped sets with the folder's files laid over them. */
    public static Map<String, List<RuleSource>> merged(Path dir) {
        Map<String, List<RuleSource>> out = new TreeMap<>();
        Map<String, List<RuleSource>> over = directory(dir);
        Map<String, List<RuleSource>> base = shipped();
        for (String set : union(base, over)) {
            out.put(set, overlay(base.getOrDefault(set, List.of()), over.getOrDefault(set, List.of())));
        }
        return out;
    }

    /** {@code base} with every file of {@code over} replacing or adding by path. */
    public static List<RuleSource> overlay(List<RuleSource> base, List<RuleSource> over) {
        Map<String, RuleSource> byPath = new LinkedHashMap<>();
        base.forEach(s -> byPath.put(s.path(), s));
        over.forEach(s -> byPath.put(s.path(), s));
        return List.copyOf(new TreeMap<>(byPath).values());
    }

    /** A digest of a set's paths and contents, to skip recompiling what did not change. */
    public static String digest(List<RuleSource> sources) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (RuleSource s : sources) {
                md.update(s.path().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(s.content().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String setOf(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? "default" : path.substring(0, slash);
    }

    private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.Set<String> s = new java.util.TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private static String name(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? "rules" : n.toString();
    }

    private static String read(ClassLoader cl, String resource) {
        try (InputStream in = cl.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
