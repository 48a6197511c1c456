"""Fabric 2 tasks for rulescaler clusters, run by the FabricTask action (or by hand with `fab`).

The action passes the cluster as environment variables: RS_CLUSTER, RS_MEMBERS (comma-separated
addresses), RS_MEMBER_NAMES, RS_ROOT (file prefix), RS_LB; task arguments come from the step's
`arg.<name>` parameters.

By hand:  fab -r fabric-scripts/fabfiles -c cluster -H root@web-1,root@web-2 members --root=/
"""
import os
import shlex

from fabric import task


@task
def members(c, root=""):
    """Writes the cluster's member list to <root>/etc/rulescaler/fabric-members on each host."""
    root = root or os.environ.get("RS_ROOT", "")
    listed = [m for m in os.environ.get("RS_MEMBERS", "").split(",") if m]
    folder = f"{root}/etc/rulescaler"
    body = "".join(m + "\n" for m in listed)
    c.run(f"mkdir -p {shlex.quote(folder)} && printf %s {shlex.quote(body)} > {shlex.quote(folder + '/fabric-members')}")
    c.run(f"echo \"$SSH_CONNECTION\" >> {shlex.quote(root + '/fabric-runs.log')}")
    print(f"members: {c.host}:{c.port} has {len(listed)} members")


@task
def uptime(c):
    """Prints each host's uptime (a harmless check that Fabric reaches the hosts)."""
    c.run("uptime")


@task
def restart(c, service):
    """Restarts a systemd service on each host."""
    c.run(f"systemctl restart {shlex.quote(service)}")
