package io.rulescaler.provider.dns;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Node names of the form {@code #.zone.basename} ({@code 3.eu-west-1a.web.example.com}): the node's index in
 * its cluster, its zone, the cluster's DNS base name; and the lowest-free-index rule that keeps names reused.
 */
public final class DnsNames {

    private DnsNames() {
    }

    /** Fills the pattern; an empty zone drops its label; zone text is lower-cased and reduced to letters, digits and '-'. */
    public static String nodeName(String pattern, int index, String zone, String baseName) {
        if (baseName == null || baseName.isBlank()) {
            throw new IllegalArgumentException("cluster has no dnsBaseName");
        }
        String label = zone == null ? "" : zone.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        String name = pattern.replace("{index}", String.valueOf(index)).replace("{base}", baseName.toLowerCase(Locale.ROOT));
        name = label.isEmpty() ? name.replace("{zone}.", "").replace(".{zone}", "").replace("{zone}", "") : name.replace("{zone}", label);
        return name.replaceAll("\\.+", ".").replaceAll("^\\.|\\.$", "");
    }

    /** The lowest index ≥ 1 that no live node uses, so a replaced node's name is taken again. */
    public static int lowestFreeIndex(Collection<Integer> used) {
        Set<Integer> taken = new TreeSet<>(used);
        int candidate = 1;
        while (taken.contains(candidate)) {
            candidate++;
        }
        return candidate;
    }
}
