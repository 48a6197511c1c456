package io.rulescaler.capacity.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class loader rule compiles load the service's classes through: it remembers the names the service's
 * loader does not have. The MVEL compiler asks for a class under every import for each identifier of a
 * constraint (hundreds of made-up names per rule set), and once the service has started Quarkus' runner
 * class loader opens and closes a whole jar for each such miss: that was about 60 % of a rule compile's
 * CPU (JFR, docs/benchmarks.md "Startup and idle memory"). The service's classes do not change while it
 * runs, so a miss stays a miss; classes a rule set declares live in Drools' own loader above this one.
 */
final class MissCachingClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    /** Enough for many rule sets' identifiers; beyond it misses are simply not remembered. */
    static final int MAX_REMEMBERED = 200_000;

    private final Set<String> missing = ConcurrentHashMap.newKeySet();

    MissCachingClassLoader(ClassLoader parent) {
        super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (missing.contains(name)) {
            throw new ClassNotFoundException(name);
        }
        try {
            return super.loadClass(name, resolve);
        } catch (ClassNotFoundException e) {
            if (missing.size() < MAX_REMEMBERED) {
                missing.add(name);
            }
            throw e;
        }
    }

    /** How many names are remembered as missing (for tests). */
    int remembered() {
        return missing.size();
    }
}
