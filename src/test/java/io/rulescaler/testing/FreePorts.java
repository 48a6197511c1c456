package io.rulescaler.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports for servers a test starts later (sshd, HAProxy, BIND, Galera nodes, service processes), each handed
 * out once per class loader: a port is bound and released, so the kernel may give the same one to the next bind to
 * port 0 (a few in a hundred picks on Linux), and two servers of one test would then race for it.
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A port free on every address right now and not handed out before. */
    public static synchronized int next() throws IOException {
        for (int i = 0; i < 1000; i++) {
            int port = bound();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port not handed out before, after 1000 tries");
    }

    /** A port the kernel chose for a bind to port 0, released again (it may choose it again). */
    static int bound() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
