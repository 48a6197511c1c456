package io.rulescaler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ports picked one after the other are distinct and free, though the kernel repeats itself for binds to port 0 that
 * were released (on Linux, a thousand such picks of its ~14 000 bind ports repeat some thirty times).
 */
class FreePortsTest {

    @Test
    void eachPortIsHandedOutOnceAndIsFree() throws IOException {
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            picked.add(FreePorts.next());
        }
        assertEquals(picked.size(), new HashSet<>(picked).size(), "a port was handed out twice");
        int last = picked.get(picked.size() - 1);
        try (ServerSocket s = new ServerSocket(last)) {
            assertEquals(last, s.getLocalPort(), "the port handed out is free");
        }
    }
}
