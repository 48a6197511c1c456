package io.rulescaler.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.boot.StorageConfig;
import io.rulescaler.cluster.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code aws-ec2} provider profile through jclouds' real aws-ec2 provider and our
 * ComputeProviders wiring, against a STAND-IN of the EC2 Query API ({@link Ec2QueryApiStandIn}):
 * AWS cannot be reached from here, so the stand-in answers in the API reference's format.
 */
class AwsEc2ProfileAgainstStandInTest {

    private static final Map<String, String> OURS = Map.of("Name", "web-7", "rulescaler-cluster", "web", "rulescaler-node", "web-7",
            "rulescaler-node-id", "7", "rulescaler-operation", "3");

    @TempDir
    Path data;
    private Ec2QueryApiStandIn ec2;
    private ComputeProviders providers;

    @BeforeEach
    void start() throws Exception {
        ec2 = new Ec2QueryApiStandIn()
                .running("i-1234567890abcdef0", "us-east-1a", "192.168.1.88", OURS)
                .running("i-0598c7d356eba48d7", "us-east-1b", "192.168.1.90", Map.of("Name", "bastion"));
        providers = new ComputeProviders(() -> Map.of("aws", profile(ec2.endpoint())), storage());
    }

    @AfterEach
    void stop() {
        providers.close();
        ec2.close();
    }

    @Test
    void standInListsInstancesWithTheirTagsZonesAndAddresses() throws Exception {
        List<Machine> machines = providers.get("aws").list();

        assertEquals(2, machines.size(), machines.toString());
        Machine ours = machines.stream().filter(m -> m.providerId().endsWith("i-1234567890abcdef0")).findFirst().orElseThrow();
        assertEquals("us-east-1/i-1234567890abcdef0", ours.providerId());
        assertEquals("us-east-1a", ours.zone());
        assertEquals("192.168.1.88", ours.address());
        assertEquals("RUNNING", ours.status());
        assertEquals("web", ours.tags().get(Machine.TAG_CLUSTER), "EC2 tags come back as the machine's tags");
        assertEquals("7", ours.tags().get(Machine.TAG_NODE_ID));

        Optional<Machine> byTag = providers.get("aws").findByTag(Machine.TAG_NODE_ID, "7");
        assertEquals(Optional.of(ours.providerId()), byTag.map(Machine::providerId));
        assertTrue(providers.get("aws").findByTag(Machine.TAG_NODE_ID, "8").isEmpty());
    }

    @Test
    void standInCreateSendsTemplateKeyPairUserDataAndTagsTheInstance() throws Exception {
        var template = new ClusterSpec.NodeTemplate("us-east-1/ami-bff32ccc", 1, null, "t3.micro", null, null, List.of("sg-0a1b2c3d"),
                null, "ops-key", "#!/bin/sh\necho hello\n", null);
        Machine m = providers.get("aws").create("web", "web-8", "us-east-1b", template,
                Map.of(Machine.TAG_CLUSTER, "web", Machine.TAG_NODE_ID, "8"));

        Map<String, String> run = ec2.request("RunInstances");
        assertEquals("ami-bff32ccc", run.get("ImageId"));
        assertEquals("t3.micro", run.get("InstanceType"));
        assertEquals("us-east-1b", run.get("Placement.AvailabilityZone"));
        assertEquals("ops-key", run.get("KeyName"), "the template's key pair, not one jclouds makes up");
        assertEquals("#!/bin/sh\necho hello\n", new String(Base64.getDecoder().decode(run.get("UserData")), StandardCharsets.UTF_8));
        assertFalse(ec2.actions().contains("CreateKeyPair"), ec2.actions().toString());

        String id = m.providerId().substring(m.providerId().indexOf('/') + 1);
        assertEquals("8", ec2.instance(id).tags.get(Machine.TAG_NODE_ID), "CreateTags wrote our tags on the instance");
        assertEquals("web", ec2.instance(id).tags.get(Machine.TAG_CLUSTER));
        assertFalse(ec2.instance(id).tags.containsKey("user-data"), "user data is not a tag");
        assertEquals("us-east-1b", m.zone());
        assertEquals(Optional.of(m.providerId()), providers.get("aws").findByTag(Machine.TAG_NODE_ID, "8").map(Machine::providerId));
    }

    @Test
    void standInDestroyTerminatesTheInstanceAndItLeavesTheList() throws Exception {
        providers.get("aws").destroy("us-east-1/i-1234567890abcdef0");

        assertEquals("i-1234567890abcdef0", ec2.request("TerminateInstances").get("InstanceId.1"));
        assertTrue(providers.get("aws").findByTag(Machine.TAG_NODE_ID, "7").isEmpty(), "a terminated instance is no machine");
    }

    @Test
    void standInAuthFailureBecomesANonRetryableErrorNamingTheSettings() {
        ec2.override("DescribeRegions", 401, Ec2QueryApiStandIn.error("AuthFailure",
                "AWS was not able to validate the provided access credentials"));

        ProviderException e = assertThrows(ProviderException.class, () -> providers.get("aws").list());

        assertFalse(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
        assertTrue(e.getMessage().contains("rulescaler.compute.profiles.aws.identity"), e.getMessage());
    }

    @Test
    void standInInstanceLimitExceededIsAQuotaError() throws Exception {
        ec2.override("RunInstances", 400, Ec2QueryApiStandIn.error("InstanceLimitExceeded",
                "Your quota allows for 0 more running instance(s). You requested at least 1."));
        var template = new ClusterSpec.NodeTemplate("us-east-1/ami-bff32ccc", 1, null, "t3.micro", null, null, List.of("sg-0a1b2c3d"), null,
                "ops-key", null, null);

        ProviderException e = assertThrows(ProviderException.class, () -> providers.get("aws").create("web", "web-9", "us-east-1a",
                template, Map.of(Machine.TAG_NODE_ID, "9")));

        assertTrue(e.getMessage().contains("out of quota"), e.getMessage());
        assertTrue(e.getMessage().contains("Your quota allows for 0 more"), "AWS's own words reach the operator: " + e.getMessage());
        assertFalse(e.retryable());
    }

    private StorageConfig storage() {
        return () -> data.toString();
    }

    private static ComputeConfig.Profile profile(String endpoint) {
        return new StandInProfile("aws-ec2", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", endpoint,
                Map.of("jclouds.regions", "us-east-1"));
    }
}
