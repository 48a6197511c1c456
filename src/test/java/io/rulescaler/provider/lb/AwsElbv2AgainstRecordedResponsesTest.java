package io.rulescaler.provider.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.action.lb.DrainLoadBalancer;
import io.rulescaler.action.lb.RegisterLoadBalancer;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.testing.RecordedAwsResponder;
import io.rulescaler.testing.RecordingTaskContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The AWS ELBv2 adapter with the real AWS SDK v2 client, against a local responder replaying recorded
 * AWS answers (AWS itself is unreachable from tests): the requests the SDK signs and sends, and how the
 * answers and errors are read.
 */
class AwsElbv2AgainstRecordedResponsesTest {

    static final String ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef";

    static ElasticLoadBalancingV2Client client(RecordedAwsResponder aws) {
        return ElasticLoadBalancingV2Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create(aws.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD))
                .build();
    }

    @Test
    void registerSendsASignedRegisterTargetsAndMembersReadsTargetHealth() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/elbv2/")
                .replay("RegisterTargets", 200, "RegisterTargets.xml")
                .replay("DescribeTargetHealth", 200, "DescribeTargetHealth-two.xml");
                ElasticLoadBalancingV2Client client = client(aws)) {
            AwsElbv2LoadBalancer lb = new AwsElbv2LoadBalancer(client, ARN);
            lb.register(new LoadBalancer.Member("i-0376fadf0a1b2c3d4", "10.0.1.5", 8080));

            RecordedAwsResponder.Request sent = aws.requests().get(0);
            assertEquals("RegisterTargets", sent.form().get("Action"));
            assertEquals("2015-12-01", sent.form().get("Version"));
            assertEquals(ARN, sent.form().get("TargetGroupArn"));
            assertEquals("i-0376fadf0a1b2c3d4", sent.form().get("Targets.member.1.Id"));
            assertEquals("8080", sent.form().get("Targets.member.1.Port"));
            assertTrue(sent.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), sent.authorization());
            assertTrue(sent.authorization().contains("/eu-west-1/elasticloadbalancing/aws4_request"), sent.authorization());

            List<LoadBalancer.MemberStatus> members = lb.members();
            assertEquals(List.of(
                    new LoadBalancer.MemberStatus("i-0376fadf0a1b2c3d4", "i-0376fadf0a1b2c3d4:8080", "healthy", 0),
                    new LoadBalancer.MemberStatus("i-0f76fade5e6f7a8b9", "i-0f76fade5e6f7a8b9:8080", "draining", 1)), members);
        }
    }

    @Test
    void drainDeregistersAndWaitsWhileTheTargetIsDraining() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/elbv2/")
                .replay("DeregisterTargets", 200, "DeregisterTargets.xml")
                .replay("DescribeTargetHealth", 200, "DescribeTargetHealth-draining.xml")
                .replay("DescribeTargetHealth", 200, "DescribeTargetHealth-draining.xml")
                .replay("DescribeTargetHealth", 200, "DescribeTargetHealth-unused.xml");
                ElasticLoadBalancingV2Client client = client(aws)) {
            LoadBalancers balancers = new LoadBalancers(config()) {
                @Override
                public Optional<LoadBalancer> forSpec(ClusterSpec.LoadBalancer spec) {
                    return Optional.of(new AwsElbv2LoadBalancer(client, spec.backend()));
                }
            };
            ClusterSpec cluster = RecordingTaskContext.cluster("aws-web", null,
                    new ClusterSpec.LoadBalancer("aws-elbv2", ARN, "eu-west-1", 8080, 20));
            RecordingTaskContext ctx = new RecordingTaskContext(cluster)
                    .node(new TargetNode(4, "aws-web-4", 4, "eu-west-1a", "10.0.1.9", "i-0f76fade5e6f7a8b9"));

            ActionResult drained = new DrainLoadBalancer(balancers, Clock.systemUTC()).run(ctx);

            assertEquals("true", drained.outputs().get("lb.drained"));
            List<String> actions = aws.requests().stream().map(r -> r.form().get("Action")).toList();
            assertEquals(List.of("DeregisterTargets", "DescribeTargetHealth", "DescribeTargetHealth", "DescribeTargetHealth"), actions);
            assertEquals("i-0f76fade5e6f7a8b9", aws.requests().get(0).form().get("Targets.member.1.Id"),
                    "AWS targets are the node's instance id");
        }
    }

    @Test
    void missingTargetGroupIsAFailureThatRetryingCannotFix() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/elbv2/")
                .replay("RegisterTargets", 400, "Error-TargetGroupNotFound.xml");
                ElasticLoadBalancingV2Client client = client(aws)) {
            AwsElbv2LoadBalancer lb = new AwsElbv2LoadBalancer(client, ARN);
            LoadBalancerException failure = assertThrows(LoadBalancerException.class,
                    () -> lb.register(new LoadBalancer.Member("i-1", "10.0.0.1", 80)));
            assertTrue(failure.getMessage().contains("TargetGroupNotFound"), failure.getMessage());
            assertFalse(failure.retryable());
        }
    }

    @Test
    void registerActionUsesTheProviderIdAsTarget() throws Exception {
        try (RecordedAwsResponder aws = new RecordedAwsResponder("/aws/elbv2/").replay("RegisterTargets", 200, "RegisterTargets.xml");
                ElasticLoadBalancingV2Client client = client(aws)) {
            LoadBalancers balancers = new LoadBalancers(config()) {
                @Override
                public Optional<LoadBalancer> forSpec(ClusterSpec.LoadBalancer spec) {
                    return Optional.of(new AwsElbv2LoadBalancer(client, spec.backend()));
                }
            };
            ClusterSpec cluster = RecordingTaskContext.cluster("aws-web", null,
                    new ClusterSpec.LoadBalancer("aws-elbv2", ARN, "eu-west-1", 8080, null));
            new RegisterLoadBalancer(balancers).run(new RecordingTaskContext(cluster)
                    .node(new TargetNode(5, "aws-web-5", 5, "eu-west-1b", "10.0.1.10", "i-0abc")));
            assertEquals("i-0abc", aws.requests().get(0).form().get("Targets.member.1.Id"));
        }
    }

    static LoadBalancerConfig config() {
        return new LoadBalancerConfig() {
            public Duration drainTimeout() { return Duration.ofSeconds(30); }
            public Duration drainPoll() { return Duration.ofMillis(50); }
            public Haproxy haproxy() { return null; }
            public Aws aws() { return null; }
        };
    }
}
