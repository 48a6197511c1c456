package io.rulescaler.provider.lb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * HAProxy through its runtime API with dynamic servers: {@code add server} + {@code enable server} to register,
 * {@code set server ... state drain} to drain, {@code state maint} + {@code shutdown sessions} + {@code del server}
 * to deregister, and
 * {@code show stat} for members and their current sessions. Needs HAProxy 2.5+ and a backend with a dynamic
 * algorithm (roundrobin, leastconn, first, random). Servers added at run time are lost when HAProxy restarts.
 *
 * <pre>
 * absent ──add+enable──> ready ──drain──> draining ──maint+del──> absent
 * </pre>
 */
public final class HaproxyLoadBalancer implements LoadBalancer {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final HaproxyRuntimeApi api;
    private final String backend;
    private final String serverOptions;

    /** {@code serverOptions} are appended to {@code add server}, e.g. {@code check inter 2s}. */
    public HaproxyLoadBalancer(HaproxyRuntimeApi api, String backend, String serverOptions) {
        if (backend == null || !NAME.matcher(backend).matches()) {
            throw new IllegalArgumentException("HAProxy backend name is missing or invalid (loadBalancer.backend): " + backend);
        }
        this.api = api;
        this.backend = backend;
        this.serverOptions = serverOptions == null ? "" : serverOptions.trim();
    }

    @Override
    public void register(Member member) throws LoadBalancerException {
        String server = server(member);
        String added = call("add server " + server + " " + member.host() + ":" + member.port()
                + (serverOptions.isEmpty() ? "" : " " + serverOptions));
        if (!added.contains("New server registered") && !added.contains("Already exists a server")) {
            throw new LoadBalancerException("HAProxy " + api.address() + " refused add server " + server + ": " + added, false, null);
        }
        expectEmpty("enable server " + server);
        if (serverOptions.contains("check")) {
            expectEmpty("enable health " + server);
        }
    }

    @Override
    public void drain(Member member) throws LoadBalancerException {
        String answer = call("set server " + server(member) + " state drain");
        if (!answer.isEmpty() && !isAbsent(answer)) {
            throw new LoadBalancerException("HAProxy refused to drain " + server(member) + ": " + answer, false, null);
        }
    }

    @Override
    public void deregister(Member member) throws LoadBalancerException {
        String server = server(member);
        String maint = call("set server " + server + " state maint");
        if (isAbsent(maint)) {
            return;
        }
        call("shutdown sessions server " + server); // what draining left open ends here
        String deleted = call("del server " + server);
        if (deleted.contains("Server deleted") || isAbsent(deleted)) {
            return;
        }
        boolean busy = deleted.contains("still has connections") || deleted.contains("connections attached");
        throw new LoadBalancerException("HAProxy refused del server " + server + ": " + deleted, busy, null);
    }

    @Override
    public List<MemberStatus> members() throws LoadBalancerException {
        String csv = call("show stat " + backend + " 4 -1");
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            throw new LoadBalancerException("unexpected answer to show stat from HAProxy " + api.address() + ": " + csv, true, null);
        }
        List<String> header = Arrays.asList(lines[0].substring(2).split(","));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int scur = header.indexOf("scur");
        int status = header.indexOf("status");
        int addr = header.indexOf("addr");
        List<MemberStatus> members = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length <= Math.max(scur, Math.max(status, addr)) || !backend.equals(f[px])
                    || f[sv].equals("BACKEND") || f[sv].equals("FRONTEND")) {
                continue;
            }
            members.add(new MemberStatus(f[sv], addr >= 0 ? f[addr] : "", f[status],
                    f[scur].isEmpty() ? 0 : Integer.parseInt(f[scur])));
        }
        return members;
    }

    @Override
    public int activeConnections(Member member) throws LoadBalancerException {
        return members().stream().filter(m -> m.name().equals(member.name())).mapToInt(MemberStatus::activeConnections)
                .findFirst().orElse(0);
    }

    private String server(Member member) throws LoadBalancerException {
        if (!NAME.matcher(member.name()).matches()) {
            throw new LoadBalancerException("not a valid HAProxy server name: " + member.name(), false, null);
        }
        return backend + "/" + member.name();
    }

    private static boolean isAbsent(String answer) {
        return answer.contains("No such server") || answer.contains("No such backend");
    }

    private void expectEmpty(String command) throws LoadBalancerException {
        String answer = call(command);
        if (!answer.isEmpty()) {
            throw new LoadBalancerException("HAProxy refused '" + command + "': " + answer, false, null);
        }
    }

    private String call(String command) throws LoadBalancerException {
        try {
            return api.command(command);
        } catch (IOException e) {
            throw new LoadBalancerException("HAProxy runtime API " + api.address() + " unreachable: " + e.getMessage(), true, e);
        }
    }
}
