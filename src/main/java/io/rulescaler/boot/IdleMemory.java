package io.rulescaler.boot;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import org.jboss.logging.Logger;

/**
 * Lets an idle instance return the heap its start grew: G1 keeps what the start-up allocations
 * committed (well over 100 MB) until some later collection, which an idle service never has. A
 * periodic concurrent collection after {@code rulescaler.jvm.idle-gc-interval} without any gives it
 * back, with no full pause; under traffic collections happen anyway and this never fires.
 */
@ApplicationScoped
public class IdleMemory {

    private static final Logger LOG = Logger.getLogger(IdleMemory.class);
    static final String FLAG = "G1PeriodicGCInterval";

    private final IdleMemoryConfig config;

    public IdleMemory(IdleMemoryConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        long millis = config.idleGcInterval().toMillis();
        if (millis <= 0) {
            return;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption current = vm.getVMOption(FLAG);
            if (current.getOrigin() != VMOption.Origin.DEFAULT || !"0".equals(current.getValue())) {
                return; // set by the operator, or not the default collector's flag
            }
            vm.setVMOption(FLAG, Long.toString(millis));
            LOG.debugf("idle heap collection every %d ms without a collection", millis);
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            LOG.debugf("idle heap collection not set (%s)", e.toString()); // another JVM or collector: nothing to do
        }
    }
}
