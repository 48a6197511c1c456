package io.rulescaler.provider.lb;

import java.util.List;

/**
 * A load balancer that nodes join and leave; one small interface so HAProxy, AWS ELBv2 and others are
 * interchangeable. Every call is idempotent: registering a member twice or removing an absent one succeeds.
 */
public interface LoadBalancer {

    /** A node as the load balancer sees it: a unique name and where its service listens. */
    record Member(String name, String host, int port) {
    }

    /** A member and what the load balancer reports about it (state as the implementation names it). */
    record MemberStatus(String name, String address, String state, int activeConnections) {
    }

    /** Adds the member and lets it take traffic. */
    void register(Member member) throws LoadBalancerException;

    /** Stops sending new connections to the member; open ones continue. */
    void drain(Member member) throws LoadBalancerException;

    /** Removes the member (after draining, when the caller cares about open connections). */
    void deregister(Member member) throws LoadBalancerException;

    /** The members the load balancer knows now. */
    List<MemberStatus> members() throws LoadBalancerException;

    /** Connections open to the member right now (0 when it is absent). */
    int activeConnections(Member member) throws LoadBalancerException;
}
