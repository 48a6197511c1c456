package bench.stack;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A copy of rulescaler's io.rulescaler.boot.IdleMemory, so the yardstick runs with the same idle-memory
 * flags as the service. Lets an idle instance return the heap its start grew: G1 keeps what the start-up allocations
 * committed (well over 100 MB) until some later collection, which an idle service never has. A
 * periodic concurrent collection after {@code bench.jvm.idle-gc-interval} without any gives it
 * back, with no full pause; under traffic collections happen anyway and this never fires. How much
 * it gives back is the heap's free-ratio band: the JVM's default keeps up to 70 % of the heap free
 * (180 MB committed for 46 MB live after the start, measured in docs/benchmarks.md), so the band is
 * narrowed to {@code bench.jvm.heap-free-ratio} (10–30 % by default). Each flag is changed only
 * while it has its default value: one given on the command line always wins.
 */
@ApplicationScoped
public class IdleMemory {

    private static final Logger LOG = Logger.getLogger(IdleMemory.class);
    static final String FLAG = "G1PeriodicGCInterval";
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";

    private final IdleMemoryConfig config;

    public IdleMemory(IdleMemoryConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        apply();
    }

    /** Sets the flags this instance's configuration asks for; returns those it changed, with their new values. */
    Map<String, String> apply() {
        Map<String, String> changed = new LinkedHashMap<>();
        long millis = config.idleGcInterval().toMillis();
        if (millis <= 0) {
            return changed;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (setIfDefault(vm, FLAG, "0", Long.toString(millis))) {
                changed.put(FLAG, Long.toString(millis));
            }
            IdleMemoryConfig.FreeRatio band = config.heapFreeRatio();
            if (band.max() > band.min() && setIfDefault(vm, MIN_FREE, null, Integer.toString(band.min()))) {
                changed.put(MIN_FREE, Integer.toString(band.min()));
                // the maximum after the minimum: the JVM refuses a maximum below the current minimum (40 by default)
                if (setIfDefault(vm, MAX_FREE, null, Integer.toString(band.max()))) {
                    changed.put(MAX_FREE, Integer.toString(band.max()));
                }
            }
            LOG.debugf("idle memory flags set %s", changed);
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            LOG.debugf("idle memory flags not set (%s)", e.toString()); // another JVM or collector: nothing to do
        }
        return changed;
    }

    /** Changes a manageable flag that nobody set; {@code expected} (when not null) is the only value it is changed from. */
    private static boolean setIfDefault(HotSpotDiagnosticMXBean vm, String flag, String expected, String value) {
        VMOption current = vm.getVMOption(flag);
        if (current.getOrigin() != VMOption.Origin.DEFAULT || (expected != null && !expected.equals(current.getValue()))) {
            return false; // set by the operator, or not the default collector's flag
        }
        vm.setVMOption(flag, value);
        return true;
    }
}
