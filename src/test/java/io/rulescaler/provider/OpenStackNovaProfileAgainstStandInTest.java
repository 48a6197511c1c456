package io.rulescaler.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rulescaler.cluster.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code openstack-nova} provider profile through jclouds' real openstack-nova api and our
 * ComputeProviders wiring, against a STAND-IN of Keystone v2.0 and Nova v2 ({@link NovaApiStandIn}):
 * no OpenStack can be reached from here.
 */
class OpenStackNovaProfileAgainstStandInTest {

    @TempDir
    Path data;
    private NovaApiStandIn nova;
    private ComputeProviders providers;

    @BeforeEach
    void start() throws Exception {
        nova = new NovaApiStandIn().route("GET /v2/{tenant}/servers/detail", 200, SERVERS)
                .route("GET /v2/{tenant}/images/detail", 200, """
                        {"images": [{"id": "70a599e0-31e7-49b7-b260-868f441e862b", "name": "debian-12", "status": "ACTIVE",
                          "created": "2026-11-01T00:00:00Z", "updated": "2026-11-01T00:00:00Z", "minDisk": 0, "minRam": 0,
                          "progress": 100, "metadata": {"architecture": "x86_64"},
                          "links": [{"rel": "self", "href": "http://openstack.example.com/v2/t/images/70a599e0-31e7-49b7-b260-868f441e862b"}]}]}
                        """)
                .route("GET /v2/{tenant}/flavors/detail", 200, """
                        {"flavors": [{"id": "1", "name": "m1.tiny", "ram": 512, "disk": 1, "vcpus": 1, "swap": "", "rxtx_factor": 1.0,
                          "links": [{"rel": "self", "href": "http://openstack.example.com/v2/t/flavors/1"}]},
                          {"id": "2", "name": "m1.small", "ram": 2048, "disk": 20, "vcpus": 1, "swap": "", "rxtx_factor": 1.0,
                          "links": [{"rel": "self", "href": "http://openstack.example.com/v2/t/flavors/2"}]}]}
                        """)
                .route("GET /v2/{tenant}/extensions", 200, """
                        {"extensions": [{"name": "Keypairs", "alias": "os-keypairs", "updated": "2011-08-08T00:00:00Z",
                          "namespace": "http://docs.openstack.org/compute/ext/keypairs/api/v1.1", "description": "Keypair Support", "links": []},
                          {"name": "SecurityGroups", "alias": "os-security-groups", "updated": "2013-05-28T00:00:00Z",
                          "namespace": "http://docs.openstack.org/compute/ext/securitygroups/api/v1.1", "description": "Security group support", "links": []}]}
                        """)
                .route("GET /v2/{tenant}/os-keypairs/ops-key", 200, """
                        {"keypair": {"name": "ops-key", "fingerprint": "7e:eb:ab:24:ba:d1:e1:88:ae:9a:fb:66:53:df:d3:bd",
                          "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@example"}}
                        """)
                .route("GET /v2/{tenant}/os-security-groups", 200, """
                        {"security_groups": [{"id": "85cc3048-abc3-43cc-89b3-377341426ac5", "name": "web", "description": "web servers",
                          "tenant_id": "3cfd1bb8e5a04f5a8b0bd7d1ab37bc94", "rules": []}]}
                        """)
                .route("POST /v2/{tenant}/servers", 403, """
                        {"forbidden": {"message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances", "code": 403}}
                        """);
        providers = new ComputeProviders(() -> Map.of("os", profile(nova.keystone())), () -> data.toString());
    }

    @AfterEach
    void stop() {
        providers.close();
        nova.close();
    }

    /** Two ACTIVE servers as Nova's "List Servers Detailed" returns them: one rulescaler made, one it did not. */
    static final String SERVERS = """
            {"servers": [
              {"id": "9168b536-cd40-4630-b43f-b259807c6e87", "name": "web-7", "status": "ACTIVE",
               "tenant_id": "3cfd1bb8e5a04f5a8b0bd7d1ab37bc94", "user_id": "f3c46bb2b5e64b4c8a8c0e3e3e1f1a1a",
               "metadata": {"rulescaler-cluster": "web", "rulescaler-node": "web-7", "rulescaler-node-id": "7", "rulescaler-operation": "3"},
               "hostId": "2091634baaccdc4c5a1d57069c833e402921df696b7f970791b12ec6",
               "image": {"id": "70a599e0-31e7-49b7-b260-868f441e862b"}, "flavor": {"id": "1"},
               "created": "2026-11-20T08:27:14Z", "updated": "2026-11-20T08:28:01Z",
               "addresses": {"private": [{"addr": "10.0.0.7", "version": 4, "OS-EXT-IPS:type": "fixed"}]},
               "key_name": "ops-key", "OS-EXT-AZ:availability_zone": "az-a", "accessIPv4": "", "accessIPv6": "",
               "links": [{"rel": "self", "href": "http://openstack.example.com/v2/3cfd1bb8e5a04f5a8b0bd7d1ab37bc94/servers/9168b536-cd40-4630-b43f-b259807c6e87"}]},
              {"id": "c8b6a5e2-0b7a-4d5f-9a3e-2e1f0c9d8b7a", "name": "bastion", "status": "ACTIVE",
               "tenant_id": "3cfd1bb8e5a04f5a8b0bd7d1ab37bc94", "user_id": "f3c46bb2b5e64b4c8a8c0e3e3e1f1a1a",
               "metadata": {}, "hostId": "2091634baaccdc4c5a1d57069c833e402921df696b7f970791b12ec6",
               "image": {"id": "70a599e0-31e7-49b7-b260-868f441e862b"}, "flavor": {"id": "1"},
               "created": "2026-11-01T10:00:00Z", "updated": "2026-11-01T10:01:00Z",
               "addresses": {"private": [{"addr": "10.0.0.3", "version": 4, "OS-EXT-IPS:type": "fixed"}]},
               "OS-EXT-AZ:availability_zone": "az-b", "accessIPv4": "", "accessIPv6": "",
               "links": [{"rel": "self", "href": "http://openstack.example.com/v2/3cfd1bb8e5a04f5a8b0bd7d1ab37bc94/servers/c8b6a5e2-0b7a-4d5f-9a3e-2e1f0c9d8b7a"}]}
            ]}
            """;

    @Test
    void standInListsServersWithTheirMetadataAsTags() throws Exception {
        List<Machine> machines = providers.get("os").list();

        assertEquals(2, machines.size(), machines.toString());
        Machine ours = machines.stream().filter(m -> "web-7".equals(m.name())).findFirst().orElseThrow();
        assertEquals("RegionOne/9168b536-cd40-4630-b43f-b259807c6e87", ours.providerId());
        assertEquals("10.0.0.7", ours.address());
        assertEquals("RUNNING", ours.status());
        assertEquals("RegionOne", ours.zone(), "no availability-zone extension: the region, not the hypervisor host");
        assertEquals("web", ours.tags().get(Machine.TAG_CLUSTER), "server metadata comes back as the machine's tags");
        assertEquals(Optional.of(ours.providerId()), providers.get("os").findByTag(Machine.TAG_NODE_ID, "7").map(Machine::providerId));
    }

    @Test
    void standInQuotaExceededIsAQuotaErrorNotACredentialsError() throws Exception {
        ProviderException e = assertThrows(ProviderException.class, () -> providers.get("os").create("web", "web-8", null, template("ops-key"),
                Map.of(Machine.TAG_CLUSTER, "web", Machine.TAG_NODE_ID, "8")));

        assertTrue(e.getMessage().contains("out of quota"), e.getMessage());
        assertTrue(e.getMessage().contains("already used 10 of 10 instances"), e.getMessage());
        assertFalse(e.retryable());
        String sent = nova.body("POST /v2/{tenant}/servers");
        assertNotNull(sent, nova.requests().toString());
        JsonNode server = new ObjectMapper().readTree(sent).path("server");
        assertEquals("ops-key", server.path("key_name").asText(), sent);
        assertEquals("#!/bin/sh\n", new String(Base64.getDecoder().decode(server.path("user_data").asText()), StandardCharsets.UTF_8), sent);
        assertEquals("8", server.path("metadata").path(Machine.TAG_NODE_ID).asText(), "our tags go into the server's metadata: " + sent);
        assertEquals("web", server.path("security_groups").path(0).path("name").asText(), sent);
    }

    @Test
    void standInMissingKeyPairIsATemplateErrorNotRetried() {
        ProviderException e = assertThrows(ProviderException.class, () -> providers.get("os").create("web", "web-8", null, template("nobody-key"),
                Map.of(Machine.TAG_NODE_ID, "8")));

        assertTrue(e.getMessage().contains("nobody-key"), e.getMessage());
        assertTrue(e.getMessage().contains("fix template"), e.getMessage());
        assertFalse(e.retryable());
        assertFalse(nova.requests().contains("POST /v2/" + NovaApiStandIn.TENANT + "/servers"), "nothing was created");
    }

    @Test
    void standInKeystoneRefusingTheCredentialsIsAnAuthError() {
        nova.route("POST /v2.0/tokens", 401, """
                {"error": {"message": "The request you have made requires authentication.", "code": 401, "title": "Unauthorized"}}
                """);

        ProviderException e = assertThrows(ProviderException.class, () -> providers.get("os").list());

        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
        assertTrue(e.getMessage().contains("rulescaler.compute.profiles.os.identity"), e.getMessage());
        assertFalse(e.retryable());
    }

    private static ClusterSpec.NodeTemplate template(String keyPair) {
        return new ClusterSpec.NodeTemplate("RegionOne/70a599e0-31e7-49b7-b260-868f441e862b", 1, null, null, null, null, List.of("web"),
                null, keyPair, "#!/bin/sh\n", null);
    }

    static ComputeConfig.Profile profile(String endpoint) {
        return new StandInProfile("openstack-nova", "ops:rulescaler", "secret", endpoint,
                Map.of("jclouds.keystone.credential-type", "passwordCredentials"));
    }
}
