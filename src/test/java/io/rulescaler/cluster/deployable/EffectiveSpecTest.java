package io.rulescaler.cluster.deployable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.ClusterSpec.NodeTemplate;
import io.rulescaler.error.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster's own values win over its deployable's; the recipe digest follows what a node is built from. */
class EffectiveSpecTest {

    static NodeTemplate template(String image, Integer cores, String user, Map<String, String> tags) {
        return new NodeTemplate(image, cores, null, null, null, null, null, user, null, null, tags);
    }

    static final Deployable APP = new Deployable("app", null,
            Map.of("east", template("east-img", 2, "admin", Map.of("from", "deployable", "variant", "east")),
                    "west", template("west-img", 2, "admin", null)),
            new ClusterSpec.Chains("d-out", "d-in", null, null),
            Map.of("x", "from-deployable", "y", "from-deployable"));

    static ClusterSpec cluster(NodeTemplate template, Map<String, NodeTemplate> profiles, Map<String, Integer> layout,
                               Map<String, String> params, ClusterSpec.Chains chains) {
        return new ClusterSpec("web", null, "east", template, layout, new ClusterSpec.Sizing(0, 10, 0), null, null, chains,
                null, null, null, null, null, null, null, null, params, "app", profiles);
    }

    @Test
    void theClustersOwnValuesWin() {
        ClusterSpec declared = cluster(template(null, 4, null, Map.of("from", "cluster")),
                Map.of("west", template("own-west-img", null, null, null)), null,
                Map.of("y", "from-cluster"), new ClusterSpec.Chains(null, "c-in", null, null));
        ClusterSpec eff = EffectiveSpec.merge(declared, APP);

        // the provider's variant: image and user from the deployable, cores and a tag from the cluster's template
        assertEquals("east-img", eff.template().image());
        assertEquals(4, eff.template().minCores());
        assertEquals("admin", eff.template().loginUser());
        assertEquals(Map.of("from", "cluster", "variant", "east"), eff.template().tags());
        // another profile: the cluster's profiles.west over its template over the deployable's variant
        assertEquals("own-west-img", eff.templateFor("west").image());
        assertEquals(4, eff.templateFor("west").minCores());
        assertEquals("admin", eff.templateFor("west").loginUser());
        // parameters and chains: the cluster's over the deployable's defaults
        assertEquals(Map.of("x", "from-deployable", "y", "from-cluster"), eff.parametersOrEmpty());
        assertEquals("d-out", eff.chains().scaleOut());
        assertEquals("c-in", eff.chains().scaleIn());
        assertEquals("app", eff.deployable());
        // an unknown profile falls back to the template
        assertEquals(eff.template(), eff.templateFor("nowhere"));
    }

    @Test
    void aSpecWithoutDeployableOrProfilesIsUntouched() {
        ClusterSpec plain = new ClusterSpec("web", null, "stub", template("img", 1, "admin", null), null,
                new ClusterSpec.Sizing(0, 1, 0), null, null, null, null, null, null, null, null, null);
        assertSame(plain, EffectiveSpec.merge(plain, null));
    }

    @Test
    void aProfileTheDeployableLacksIsRefusedUnlessTheClusterGivesIt() {
        ClusterSpec declared = cluster(null, null, Map.of("east/a", 2, "north/b", 1), null, null);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> EffectiveSpec.requireVariants(declared, APP, "deployables/app.yaml"));
        assertTrue(e.getMessage().contains("[north]") && e.getMessage().contains("deployables/app.yaml")
                && e.getMessage().contains("[east, west]"), e.getMessage());
        assertEquals("deployable", e.field());

        ClusterSpec own = cluster(null, Map.of("north", template("n-img", null, null, null)), Map.of("east/a", 2, "north/b", 1), null, null);
        EffectiveSpec.requireVariants(own, APP, "deployables/app.yaml");
        assertEquals("n-img", EffectiveSpec.merge(own, APP).templateFor("north").image());
    }

    @Test
    void theRecipeDigestChangesWithTheVariantOnlyForItsProfile() {
        ClusterSpec declared = cluster(null, null, Map.of("east/a", 1, "west/b", 1), null, null);
        ClusterSpec before = EffectiveSpec.merge(declared, APP);
        Deployable changed = new Deployable("app", null,
                Map.of("east", APP.profiles().get("east"), "west", template("west-img-2", 2, "admin", null)),
                APP.chains(), APP.parameters());
        ClusterSpec after = EffectiveSpec.merge(declared, changed);
        assertEquals(NodeRecipe.digest(before, "east"), NodeRecipe.digest(after, "east"));
        assertNotEquals(NodeRecipe.digest(before, "west"), NodeRecipe.digest(after, "west"));
        assertEquals(NodeRecipe.digest(before, null), NodeRecipe.digest(before, "east"), "no profile: the cluster's provider");
        ClusterSpec resized = EffectiveSpec.merge(declared.withDesired(3), APP);
        assertEquals(NodeRecipe.digest(before, "west"), NodeRecipe.digest(resized, "west"), "the size is not part of the recipe");
        ClusterSpec newVersion = EffectiveSpec.merge(cluster(null, null, Map.of("east/a", 1), Map.of("x", "2.0"), null), APP);
        assertNotEquals(NodeRecipe.digest(before, "east"), NodeRecipe.digest(newVersion, "east"), "parameters are");
    }
}
