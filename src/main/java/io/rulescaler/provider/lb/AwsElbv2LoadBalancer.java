package io.rulescaler.provider.lb;

import java.util.List;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * AWS Elastic Load Balancing v2 through a target group: register and deregister targets (instance id or IP);
 * ELBv2 drains by itself on deregistration (the target group's deregistration delay), so {@link #drain} is
 * the deregistration and {@link #activeConnections} reports 1 while the target is still {@code draining}.
 * Member names are the target ids (the node's provider id, or its IP).
 */
public final class AwsElbv2LoadBalancer implements LoadBalancer {

    private final ElasticLoadBalancingV2Client client;
    private final String targetGroupArn;

    public AwsElbv2LoadBalancer(ElasticLoadBalancingV2Client client, String targetGroupArn) {
        if (targetGroupArn == null || !targetGroupArn.startsWith("arn:")) {
            throw new IllegalArgumentException("aws-elbv2 needs the target group ARN in loadBalancer.backend, was " + targetGroupArn);
        }
        this.client = client;
        this.targetGroupArn = targetGroupArn;
    }

    @Override
    public void register(Member member) throws LoadBalancerException {
        call(() -> client.registerTargets(r -> r.targetGroupArn(targetGroupArn).targets(target(member))), "register " + member.name());
    }

    @Override
    public void drain(Member member) throws LoadBalancerException {
        call(() -> client.deregisterTargets(r -> r.targetGroupArn(targetGroupArn).targets(target(member))), "drain " + member.name());
    }

    @Override
    public void deregister(Member member) throws LoadBalancerException {
        call(() -> client.deregisterTargets(r -> r.targetGroupArn(targetGroupArn).targets(target(member))), "deregister " + member.name());
    }

    @Override
    public List<MemberStatus> members() throws LoadBalancerException {
        DescribeTargetHealthResponse response = call(() -> client.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)),
                "describe target health");
        return response.targetHealthDescriptions().stream().map(AwsElbv2LoadBalancer::status).toList();
    }

    @Override
    public int activeConnections(Member member) throws LoadBalancerException {
        DescribeTargetHealthResponse response = call(() -> client.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)
                .targets(target(member))), "describe target " + member.name());
        return response.targetHealthDescriptions().stream()
                .anyMatch(d -> "draining".equals(d.targetHealth().stateAsString())) ? 1 : 0;
    }

    private static MemberStatus status(TargetHealthDescription d) {
        String address = d.target().id() + (d.target().port() == null ? "" : ":" + d.target().port());
        return new MemberStatus(d.target().id(), address, d.targetHealth().stateAsString(),
                "draining".equals(d.targetHealth().stateAsString()) ? 1 : 0);
    }

    private static TargetDescription target(Member member) {
        return TargetDescription.builder().id(member.name()).port(member.port()).build();
    }

    private <T> T call(java.util.function.Supplier<T> request, String what) throws LoadBalancerException {
        try {
            return request.get();
        } catch (ElasticLoadBalancingV2Exception e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            boolean retryable = status >= 500 || status == 429 || "Throttling".equals(code);
            throw new LoadBalancerException("AWS ELBv2 " + what + " failed: " + code + " " + e.awsErrorDetails().errorMessage(), retryable, e);
        } catch (SdkClientException e) {
            throw new LoadBalancerException("AWS ELBv2 " + what + " unreachable: " + e.getMessage(), true, e);
        } catch (SdkException e) {
            throw new LoadBalancerException("AWS ELBv2 " + what + " failed: " + e.getMessage(), false, e);
        }
    }
}
