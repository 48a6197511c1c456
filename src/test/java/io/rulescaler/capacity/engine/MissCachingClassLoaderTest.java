package io.rulescaler.capacity.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.fact.ClusterView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule compiles go through the miss-remembering loader, which still finds every class the service has. */
class MissCachingClassLoaderTest {

    @Test
    void remembersMissesAndStillLoadsTheServicesClasses() throws Exception {
        MissCachingClassLoader loader = new MissCachingClassLoader(getClass().getClassLoader());
        assertSame(ClusterView.class, loader.loadClass(ClusterView.class.getName()));
        String made = "io.rulescaler.capacity.fact.noSuchIdentifier";
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass(made));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass(made));
        assertEquals(1, loader.remembered());
        assertSame(ClusterView.class, loader.loadClass(ClusterView.class.getName()), "a hit is never remembered as a miss");
        assertEquals(1, loader.remembered());
    }

    @Test
    void ruleCompilesUseIt() {
        CompiledRules rules = RuleCompiler.compile("loader", List.of(new RuleSource("loader/a.drl", RuleSessionTest.AVG)));
        assertTrue(rules.ok(), () -> rules.errors().toString());
        assertTrue(RuleCompiler.LOADER.remembered() > 0, "the MVEL compiler's made-up names were asked of the loader");
    }
}
