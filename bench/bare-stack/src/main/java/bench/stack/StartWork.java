package bench.stack;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.runtime.KieSession;

/**
 * The start-up work of the bare stack: one Panache query on the start thread, then one one-rule DRL
 * compiled (STREAM mode, KieFileSystem, as rulescaler's RuleCompiler does) and fired once in a
 * background thread, as rulescaler compiles its rules. Logs "rule fired" when done; readiness does not wait for it.
 */
@ApplicationScoped
public class StartWork {

    private static final Logger LOG = Logger.getLogger(StartWork.class);
    static final String DRL = """
            package bench.rules;
            global java.util.List fired;
            rule "one"
            when
                $n : Integer(intValue > 0)
            then
                fired.add($n);
            end
            """;

    private final ExecutorService compiler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rules-compiler");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent ev) {
        long items = QuarkusTransaction.requiringNew().call(() -> Item.count());
        LOG.infof("items in the database: %d", items);
        compiler.execute(this::compileAndFire);
        compiler.shutdown();
    }

    private void compileAndFire() {
        long start = System.nanoTime();
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        ReleaseId id = ks.newReleaseId("bench.rules", "one", "1.0.0");
        kfs.generateAndWritePomXML(id);
        kfs.write("src/main/resources/bench/rules/one.drl", DRL);
        ClassLoader loader = StartWork.class.getClassLoader();
        KieBuilder builder = ks.newKieBuilder(kfs, loader).buildAll();
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            LOG.errorf("rule compile failed: %s", errors);
            return;
        }
        KieBaseConfiguration conf = ks.newKieBaseConfiguration();
        conf.setOption(EventProcessingOption.STREAM);
        KieBase base = ks.newKieContainer(id, loader).newKieBase(conf);
        ks.getRepository().removeKieModule(id);
        KieSession session = base.newKieSession();
        List<Object> fired = new ArrayList<>();
        session.setGlobal("fired", fired);
        session.insert(42);
        int firings = session.fireAllRules();
        session.dispose();
        LOG.infof("rule fired: %d firing(s), %s, compiled and fired in %d ms", firings, fired,
                (System.nanoTime() - start) / 1_000_000);
    }
}
