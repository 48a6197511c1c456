package io.rulescaler.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Everything an operator declares about a cluster; the same shape is read from REST bodies
 * (JSON) and cluster files (YAML), and unknown fields are rejected so a typo never drops a setting.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterSpec(
        @NotBlank @Pattern(regexp = NAME_PATTERN, message = "must be 1-63 lowercase letters, digits or '-', starting with a letter or digit")
        String name,
        @Size(max = 1024) String description,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "must be a provider profile name like 'stub' or 'aws-ec2'")
        String provider,
        @Valid NodeTemplate template,
        Map<@Pattern(regexp = LAYOUT_KEY_PATTERN, message = "layout keys are a zone or 'profile/zone' (zone: 1-64 letters, digits, '.', '_' or '-')") String,
                @NotNull @Min(0) @Max(1000) Integer> layout,
        @NotNull @Valid Sizing size,
        @Valid Guard guard,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a rule set name (letters, digits, '.', '_', '-')") String ruleSet,
        @Valid Chains chains,
        @Valid LoadBalancer loadBalancer,
        @Size(max = 253) @Pattern(regexp = "([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?", message = "must be a DNS name like web.example.com")
        String dnsBaseName,
        @Size(max = 50) List<@NotBlank @Email String> recipients,
        @Valid Scaling scaling,
        Boolean paused,
        Boolean dryRun,
        @Size(max = 1000) List<@NotBlank @Size(max = 255) String> protectedNodes,
        @Valid Health health,
        @Size(max = 256) Map<@Pattern(regexp = PARAMETER_PATTERN, message = "parameter names are 1-128 letters, digits, '.', '_' or '-', starting with a letter") String,
                @NotNull @Size(max = 16_384) String> parameters,
        @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "must be a deployable name (a file deployables/<name>.yaml)")
        String deployable,
        @Size(max = 32) Map<@Pattern(regexp = PROFILE_PATTERN, message = "must be a provider profile name like 'stub' or 'aws-ec2'") String,
                @NotNull @Valid NodeTemplate> profiles) {

    /** A spec without a deployable or per-profile templates (the shape before deployable types). */
    public ClusterSpec(String name, String description, String provider, NodeTemplate template, Map<String, Integer> layout,
                       Sizing size, Guard guard, String ruleSet, Chains chains, LoadBalancer loadBalancer, String dnsBaseName,
                       List<String> recipients, Scaling scaling, Boolean paused, Boolean dryRun, List<String> protectedNodes,
                       Health health, Map<String, String> parameters) {
        this(name, description, provider, template, layout, size, guard, ruleSet, chains, loadBalancer, dnsBaseName,
                recipients, scaling, paused, dryRun, protectedNodes, health, parameters, null, null);
    }

    /** A spec without protected nodes, health checks or parameters (the shape before day-2 operations). */
    public ClusterSpec(String name, String description, String provider, NodeTemplate template, Map<String, Integer> layout,
                       Sizing size, Guard guard, String ruleSet, Chains chains, LoadBalancer loadBalancer, String dnsBaseName,
                       List<String> recipients, Scaling scaling, Boolean paused, Boolean dryRun) {
        this(name, description, provider, template, layout, size, guard, ruleSet, chains, loadBalancer, dnsBaseName,
                recipients, scaling, paused, dryRun, null, null, null);
    }

    /** A spec with protected nodes and health checks but no parameters. */
    public ClusterSpec(String name, String description, String provider, NodeTemplate template, Map<String, Integer> layout,
                       Sizing size, Guard guard, String ruleSet, Chains chains, LoadBalancer loadBalancer, String dnsBaseName,
                       List<String> recipients, Scaling scaling, Boolean paused, Boolean dryRun, List<String> protectedNodes,
                       Health health) {
        this(name, description, provider, template, layout, size, guard, ruleSet, chains, loadBalancer, dnsBaseName,
                recipients, scaling, paused, dryRun, protectedNodes, health, null);
    }

    /** A spec with parameters but no protected nodes or health checks. */
    public ClusterSpec(String name, String description, String provider, NodeTemplate template, Map<String, Integer> layout,
                       Sizing size, Guard guard, String ruleSet, Chains chains, LoadBalancer loadBalancer, String dnsBaseName,
                       List<String> recipients, Scaling scaling, Boolean paused, Boolean dryRun, Map<String, String> parameters) {
        this(name, description, provider, template, layout, size, guard, ruleSet, chains, loadBalancer, dnsBaseName,
                recipients, scaling, paused, dryRun, null, null, parameters);
    }

    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9-]{0,62}";
    /** What a parameter name looks like; chains read it as {@code ${params.<name>}}. */
    public static final String PARAMETER_PATTERN = "[A-Za-z][A-Za-z0-9._-]{0,127}";
    /** What a provider profile name looks like. */
    public static final String PROFILE_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";
    /** A layout key: a zone of the cluster's own profile, or {@code profile/zone}. */
    public static final String LAYOUT_KEY_PATTERN = "([a-z0-9][a-z0-9-]{0,63}/)?[A-Za-z0-9._-]{1,64}";


    /** The machine every new node of the cluster is created from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeTemplate(
            @Size(max = 255) String image,
            @Min(1) @Max(1024) Integer minCores,
            @Min(64) @Max(16_777_216) Integer minRamMb,
            @Size(max = 128) String hardware,
            @Size(max = 128) String location,
            @Size(max = 32) List<@NotBlank @Size(max = 64) String> zones,
            @Size(max = 32) List<@NotBlank @Size(max = 255) String> securityGroups,
            @Size(max = 64) @Pattern(regexp = "[a-z_][a-z0-9_-]*", message = "must be a Unix user name") String loginUser,
            @Size(max = 255) String keyPair,
            @Size(max = 16_384) String userData,
            Map<@Size(max = 128) String, @Size(max = 256) String> tags) {
    }

    /** Bounds and starting size; min ≤ desired ≤ max is checked as a whole. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sizing(
            @NotNull @Min(0) @Max(10_000) Integer min,
            @NotNull @Min(0) @Max(10_000) Integer max,
            @Min(0) @Max(10_000) Integer desired,
            @Min(0) @Max(10_000) Integer maxIdle,
            @Valid Idle idle) {

        /** Bounds and a starting size, without an idle limit. */
        public Sizing(Integer min, Integer max, Integer desired) {
            this(min, max, desired, null, null);
        }

        /** The idle definition in force: the declared one, else below 5 % CPU for 30 minutes. */
        public Idle idleOrDefault() {
            return idle != null ? idle : new Idle(5.0, 30);
        }

        @AssertTrue(message = "min must not be greater than max")
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isMinNotAboveMax() {
            return min == null || max == null || min <= max;
        }

        @AssertTrue(message = "desired must lie between min and max")
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isDesiredWithinBounds() {
            return desired == null || min == null || max == null || (desired >= min && desired <= max);
        }
    }

    /** When a node counts as idle for {@code size.maxIdle}: its agent's CPU below {@code cpuBelow} % for {@code forMinutes}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Idle(
            @NotNull @jakarta.validation.constraints.DecimalMin("0") @jakarta.validation.constraints.DecimalMax("100") Double cpuBelow,
            @NotNull @Min(1) @Max(10_080) Integer forMinutes) {
    }

    /**
     * How the service decides a node is unhealthy: its HTTP check (probed by the instance that owns
     * the cluster's session) or its heartbeats stopping, for longer than {@code graceSeconds}; and
     * how many replacements may run at once and per hour.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(
            @Valid HttpCheck http,
            @Valid HeartbeatCheck heartbeat,
            @Min(0) @Max(86_400) Integer graceSeconds,
            @Min(1) @Max(10_000) Integer maxReplacing,
            @Min(1) @Max(100) Integer maxReplacingPercent,
            @Min(0) @Max(1000) Integer maxReplacementsPerHour) {

        /** Grace in seconds (default 60). */
        public int grace() {
            return graceSeconds == null ? 60 : graceSeconds;
        }

        /** Replacements allowed at once for a cluster of {@code size} nodes: maxReplacing, else 10 % (at least 1). */
        public int replacingAtOnce(int size) {
            if (maxReplacing != null) {
                return maxReplacing;
            }
            int percent = maxReplacingPercent == null ? 10 : maxReplacingPercent;
            return Math.max(1, size * percent / 100);
        }

        /** Replacements allowed per hour (default 5). */
        public int perHour() {
            return maxReplacementsPerHour == null ? 5 : maxReplacementsPerHour;
        }
    }

    /**
     * An HTTP check of each active node, as a load balancer's health check: {@code GET
     * http://<node address>:<port><path>}, where {@code {node}} in the path is the node's name.
     * {@code host}, when set, is probed instead of the node's address (nodes reachable through one
     * proxy; the stub provider's made-up addresses in tests).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpCheck(
            @NotBlank @Size(max = 1024) @Pattern(regexp = "/\\S*", message = "must be a path starting with '/'") String path,
            @NotNull @Min(1) @Max(65_535) Integer port,
            @Min(1) @Max(3600) Integer intervalSeconds,
            @Min(1) @Max(300) Integer timeoutSeconds,
            @Min(1) @Max(100) Integer unhealthyAfter,
            @Min(1) @Max(100) Integer healthyAfter,
            @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9.:\\[\\]-]+", message = "must be a host name or address") String host) {

        public int interval() {
            return intervalSeconds == null ? 10 : intervalSeconds;
        }

        public int timeout() {
            return timeoutSeconds == null ? 5 : timeoutSeconds;
        }

        public int failuresToFail() {
            return unhealthyAfter == null ? 3 : unhealthyAfter;
        }

        public int passesToPass() {
            return healthyAfter == null ? 2 : healthyAfter;
        }
    }

    /** Heartbeats of the node's agent: silent for {@code lostAfterSeconds} counts as unhealthy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HeartbeatCheck(@NotNull @Min(5) @Max(86_400) Integer lostAfterSeconds) {
    }

    /** How the guard treats this cluster's decisions. Times are in seconds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Guard(
            @Min(0) @Max(86_400) Integer scaleOutCooldownSeconds,
            @Min(0) @Max(86_400) Integer scaleInCooldownSeconds,
            @Min(0) @Max(86_400) Integer scaleInStabilisationSeconds,
            @Min(1) @Max(10_000) Integer maxStep,
            @Min(1) @Max(1000) Integer maxStepPercent) {
    }

    /** Names of the chains (files under actions/) run for each kind of operation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chains(
            @Size(max = 64) String scaleOut,
            @Size(max = 64) String scaleIn,
            @Size(max = 64) String replace,
            @Size(max = 64) String teardown) {
    }

    /** The load balancer new nodes join; the type selects the adapter. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoadBalancer(
            @NotBlank @Pattern(regexp = "none|haproxy|aws-elbv2", message = "must be one of none, haproxy, aws-elbv2") String type,
            @Size(max = 255) String backend,
            @Size(max = 512) String address,
            @Min(1) @Max(65_535) Integer port,
            @Min(0) @Max(3600) Integer drainSeconds) {
    }

    /** Signal handling for the cluster: how the poller's queries run and which nodes leave first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scaling(
            @Pattern(regexp = "oldest|newest|least-loaded", message = "must be one of oldest, newest, least-loaded") String scaleInPolicy,
            @Pattern(regexp = "hold|fallback", message = "must be hold or fallback") String stalePolicy,
            Double fallbackValue,
            @Size(max = 32) List<@Valid Query> queries) {
    }

    /** A named PromQL query the poller runs for this cluster; its result becomes Samples. */
    public record Query(
            @NotBlank @Size(max = 128) @Pattern(regexp = "[a-zA-Z_:][a-zA-Z0-9_:]*", message = "must be a metric-like name") String name,
            @NotBlank @Size(max = 4096) String promql,
            @Min(1) @Max(3600) Integer intervalSeconds) {
    }

    /** Whether the spec protects the node of this name from scale-in. */
    public boolean protects(String nodeName) {
        return protectedNodes != null && protectedNodes.contains(nodeName);
    }

    /** Effective paused flag. */
    public boolean isPaused() {
        return Boolean.TRUE.equals(paused);
    }

    /** Effective dry-run flag. */
    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    /** The same spec with another name (the path decides the name on PUT). */
    public ClusterSpec withName(String newName) {
        return new ClusterSpec(newName, description, provider, template, layout, size, guard, ruleSet, chains,
                loadBalancer, dnsBaseName, recipients, scaling, paused, dryRun, protectedNodes, health, parameters, deployable, profiles);
    }

    /** The same spec with the operator-controlled flags changed. */
    public ClusterSpec withFlags(Boolean newPaused, Boolean newDryRun) {
        return new ClusterSpec(name, description, provider, template, layout, size, guard, ruleSet, chains,
                loadBalancer, dnsBaseName, recipients, scaling, newPaused, newDryRun, protectedNodes, health, parameters, deployable, profiles);
    }

    /** The same spec with another desired size. */
    public ClusterSpec withDesired(int desired) {
        return new ClusterSpec(name, description, provider, template, layout,
                new Sizing(size.min(), size.max(), desired, size.maxIdle(), size.idle()), guard, ruleSet, chains,
                loadBalancer, dnsBaseName, recipients, scaling, paused, dryRun, protectedNodes, health, parameters, deployable, profiles);
    }

    /** The cluster's parameters, never null; chains read them as {@code ${params.<name>}}. */
    public Map<String, String> parametersOrEmpty() {
        return parameters == null ? Map.of() : parameters;
    }

    /**
     * The node template for new nodes on {@code profile}: its entry in {@code profiles} when there is
     * one (a deployable's variant, merged with the cluster's own values), else {@code template}.
     */
    public NodeTemplate templateFor(String profile) {
        if (profile != null && profiles != null && profiles.containsKey(profile)) {
            return profiles.get(profile);
        }
        return template;
    }

    /** The profile a node placed without one (or a layout key without "profile/") belongs to: the cluster's provider. */
    public String profileOr(String nodeProfile) {
        return nodeProfile == null || nodeProfile.isBlank() ? provider : nodeProfile;
    }
}
