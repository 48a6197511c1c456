package io.rulescaler.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * STAND-IN for the AWS EC2 Query API (AWS cannot be reached from here): a real HTTP server on a
 * loopback port that keeps a few instances and answers the actions jclouds' aws-ec2 provider uses
 * with response documents in the format of the EC2 API reference, recording every request so a
 * test can check what jclouds asked for. Any action may be overridden with a canned answer (an
 * error document, say); unknown actions get EC2's own {@code InvalidAction} error.
 */
final class Ec2QueryApiStandIn implements AutoCloseable {

    private static final String NS = "http://ec2.amazonaws.com/doc/2012-06-01/";
    private final HttpServer server;
    private final Map<String, Answer> overrides = new ConcurrentHashMap<>();
    private final Map<String, Instance> instances = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextId = new AtomicInteger(0xb22a);

    /** One canned answer: HTTP status and XML body. */
    record Answer(int status, String xml) {
    }

    /** One instance as the stand-in keeps it. */
    static final class Instance {
        final String id;
        final String zone;
        final String privateIp;
        final String type;
        final Map<String, String> tags = Collections.synchronizedMap(new LinkedHashMap<>());
        volatile String state;

        Instance(String id, String zone, String privateIp, String type, String state, Map<String, String> tags) {
            this.id = id;
            this.zone = zone;
            this.privateIp = privateIp;
            this.type = type;
            this.state = state;
            this.tags.putAll(tags);
        }
    }

    Ec2QueryApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds an instance that exists before the test, e.g. one made by another tool. */
    Ec2QueryApiStandIn running(String id, String zone, String privateIp, Map<String, String> tags) {
        instances.put(id, new Instance(id, zone, privateIp, "t3.micro", "running", tags));
        return this;
    }

    /** Answers {@code action} with {@code xml} instead of the stand-in's own behaviour. */
    Ec2QueryApiStandIn override(String action, int status, String xml) {
        overrides.put(action, new Answer(status, xml));
        return this;
    }

    Instance instance(String id) {
        return instances.get(id);
    }

    /** Form parameters of every request so far, in order. */
    List<Map<String, String>> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The first request for {@code action}, or an empty map. */
    Map<String, String> request(String action) {
        return requests().stream().filter(r -> action.equals(r.get("Action"))).findFirst().orElse(Map.of());
    }

    List<String> actions() {
        return requests().stream().map(r -> r.getOrDefault("Action", "?")).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String part : body.split("&")) {
            if (!part.isEmpty()) {
                int eq = part.indexOf('=');
                form.put(URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        requests.add(form);
        String action = form.getOrDefault("Action", "");
        Answer a = overrides.containsKey(action) ? overrides.get(action) : answer(action, form);
        byte[] out = a.xml().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
        ex.sendResponseHeaders(a.status(), out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private Answer answer(String action, Map<String, String> form) {
        return switch (action) {
            case "DescribeRegions" -> ok(action, "<regionInfo><item><regionName>us-east-1</regionName><regionEndpoint>" + endpoint()
                    + "</regionEndpoint></item></regionInfo>");
            case "DescribeAvailabilityZones" -> ok(action, "<availabilityZoneInfo>"
                    + "<item><zoneName>us-east-1a</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName><messageSet/></item>"
                    + "<item><zoneName>us-east-1b</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName><messageSet/></item>"
                    + "</availabilityZoneInfo>");
            case "DescribeImages" -> ok(action, IMAGES);
            case "DescribeSpotInstanceRequests" -> ok(action, "<spotInstanceRequestSet/>");
            case "DescribeInstances" -> describeInstances(form);
            case "RunInstances" -> runInstances(form);
            case "CreateTags" -> createTags(form);
            case "TerminateInstances" -> terminate(form);
            default -> new Answer(400, error("InvalidAction", "The action " + action + " is not valid for this web service."));
        };
    }

    private Answer describeInstances(Map<String, String> form) {
        List<String> wanted = indexed(form, "InstanceId.");
        List<Instance> list;
        synchronized (instances) {
            list = instances.values().stream().filter(i -> wanted.isEmpty() || wanted.contains(i.id)).toList();
        }
        if (list.isEmpty()) {
            return ok("DescribeInstances", "<reservationSet/>");
        }
        StringBuilder items = new StringBuilder();
        for (Instance i : list) {
            items.append(instanceXml(i));
            if ("pending".equals(i.state)) {
                i.state = "running"; // booted by the next look
            } else if ("shutting-down".equals(i.state)) {
                i.state = "terminated";
            }
        }
        return ok("DescribeInstances", "<reservationSet><item><reservationId>r-1234567890abcdef0</reservationId>"
                + "<ownerId>123456789012</ownerId><groupSet/><instancesSet>" + items + "</instancesSet></item></reservationSet>");
    }

    private Answer runInstances(Map<String, String> form) {
        String id = "i-0b22a22eec53" + Integer.toHexString(nextId.incrementAndGet());
        Instance i = new Instance(id, form.getOrDefault("Placement.AvailabilityZone", "us-east-1a"),
                "192.168.1." + (100 + instances.size()), form.getOrDefault("InstanceType", "t3.micro"), "pending", Map.of());
        instances.put(id, i);
        return ok("RunInstances", "<reservationId>r-0a2b3c4d5e6f7a8b9</reservationId><ownerId>123456789012</ownerId><groupSet/>"
                + "<instancesSet>" + instanceXml(i) + "</instancesSet>");
    }

    private Answer createTags(Map<String, String> form) {
        for (String id : indexed(form, "ResourceId.")) {
            Instance i = instances.get(id);
            if (i == null) {
                return new Answer(400, error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist"));
            }
            for (int n = 1; form.containsKey("Tag." + n + ".Key"); n++) {
                i.tags.put(form.get("Tag." + n + ".Key"), form.getOrDefault("Tag." + n + ".Value", ""));
            }
        }
        return ok("CreateTags", "<return>true</return>");
    }

    private Answer terminate(Map<String, String> form) {
        StringBuilder set = new StringBuilder();
        for (String id : indexed(form, "InstanceId.")) {
            Instance i = instances.get(id);
            if (i == null) {
                return new Answer(400, error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist"));
            }
            set.append("<item><instanceId>").append(id).append("</instanceId><currentState><code>32</code><name>shutting-down</name>")
                    .append("</currentState><previousState><code>16</code><name>").append(i.state).append("</name></previousState></item>");
            i.state = "shutting-down";
        }
        return ok("TerminateInstances", "<instancesSet>" + set + "</instancesSet>");
    }

    private static List<String> indexed(Map<String, String> form, String prefix) {
        return form.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).collect(Collectors.toList());
    }

    private static String instanceXml(Instance i) {
        int code = switch (i.state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            default -> 48;
        };
        String tags = i.tags.entrySet().stream().map(t -> "<item><key>" + t.getKey() + "</key><value>" + t.getValue() + "</value></item>")
                .collect(Collectors.joining());
        return """
                <item>
                  <instanceId>%s</instanceId>
                  <imageId>ami-bff32ccc</imageId>
                  <instanceState><code>%d</code><name>%s</name></instanceState>
                  <privateDnsName>ip-%s.ec2.internal</privateDnsName>
                  <dnsName/>
                  <reason/>
                  <amiLaunchIndex>0</amiLaunchIndex>
                  <productCodes/>
                  <instanceType>%s</instanceType>
                  <launchTime>2026-11-24T08:27:14.000Z</launchTime>
                  <placement><availabilityZone>%s</availabilityZone><groupName/><tenancy>default</tenancy></placement>
                  <monitoring><state>disabled</state></monitoring>
                  <subnetId>subnet-56f5f633</subnetId>
                  <vpcId>vpc-11112222</vpcId>
                  <privateIpAddress>%s</privateIpAddress>
                  <sourceDestCheck>true</sourceDestCheck>
                  <groupSet/>
                  <architecture>x86_64</architecture>
                  <rootDeviceType>ebs</rootDeviceType>
                  <rootDeviceName>/dev/xvda</rootDeviceName>
                  <blockDeviceMapping/>
                  <virtualizationType>hvm</virtualizationType>
                  <tagSet>%s</tagSet>
                  <hypervisor>xen</hypervisor>
                  <networkInterfaceSet/>
                  <ebsOptimized>false</ebsOptimized>
                </item>
                """.formatted(i.id, code, i.state, i.privateIp.replace('.', '-'), i.type, i.zone, i.privateIp, tags);
    }

    private static final String IMAGES = """
            <imagesSet>
              <item>
                <imageId>ami-bff32ccc</imageId>
                <imageLocation>amazon/debian-12-amd64-20261101</imageLocation>
                <imageState>available</imageState>
                <imageOwnerId>136693071363</imageOwnerId>
                <isPublic>true</isPublic>
                <architecture>x86_64</architecture>
                <imageType>machine</imageType>
                <imageOwnerAlias>amazon</imageOwnerAlias>
                <name>debian-12-amd64-20261101</name>
                <description>Debian 12 (20261101)</description>
                <rootDeviceType>ebs</rootDeviceType>
                <rootDeviceName>/dev/xvda</rootDeviceName>
                <blockDeviceMapping>
                  <item><deviceName>/dev/xvda</deviceName><ebs><snapshotId>snap-1234567890abcdef0</snapshotId><volumeSize>8</volumeSize>
                    <deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType></ebs></item>
                </blockDeviceMapping>
                <virtualizationType>hvm</virtualizationType>
                <hypervisor>xen</hypervisor>
              </item>
            </imagesSet>
            """;

    private static Answer ok(String action, String inner) {
        return new Answer(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + NS + "\">"
                + "<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>" + inner + "</" + action + "Response>");
    }

    /** EC2's error document, as the API reference gives it. */
    static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
