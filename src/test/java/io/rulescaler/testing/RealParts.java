package io.rulescaler.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tests that need a real program from a Debian package (prometheus, sshd, puppet, haproxy, named…)
 * call {@link #require}: on a developer machine without it the test is skipped with the package to
 * install; under CI (CI=true, where .ci/run installs them) a missing program fails the test.
 */
public final class RealParts {

    private RealParts() {
    }

    /** Returns the program's path, or skips (locally) / fails (CI) naming the Debian package. */
    public static Path require(String program, String debianPackage) {
        for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin"}) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = program + " is not installed; install it with: apt-get install " + debianPackage;
        if (System.getenv("CI") != null) {
            assertTrue(false, why + " (.ci/run installs it)");
        }
        assumeTrue(false, why);
        return null;
    }
}
