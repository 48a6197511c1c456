# What rulescaler applies to every node (OSConfiguration action). Everything node-specific arrives as
# facts named rulescaler_* (FACTER_rulescaler_* from the action): cluster, node, node_index, zone, role,
# load_balancer, peers, root (file prefix), manage_system, any "fact.<name>" step parameter, and each
# of the cluster's parameters as param_<name> (app.warUrl -> rulescaler_param_app_warurl).
$rs_root   = base::fact('root', '')
$rs_manage = base::fact('manage_system', 'true') != 'false'
$rs_role   = base::fact('role', 'app')
$rs_node   = base::fact('node', $facts['networking']['hostname'])
$rs_cluster = base::fact('cluster', 'default')

class { 'base':
  root          => $rs_root,
  manage_system => $rs_manage,
  cluster       => $rs_cluster,
  node_name     => $rs_node,
  node_index    => base::fact('node_index', ''),
  zone          => base::fact('zone', ''),
  role          => $rs_role,
  load_balancer => base::fact('load_balancer', ''),
  peers         => base::list('peers'),
  users         => base::list('users', ['deploy']),
  timezone      => base::fact('timezone', 'Etc/UTC'),
}

class { 'node_exporter':
  root          => $rs_root,
  manage_system => $rs_manage,
  cluster       => $rs_cluster,
  node_name     => $rs_node,
  role          => $rs_role,
  require       => Class['base'],
}

if base::fact('agent', 'true') != 'false' {
  class { 'agent':
    root          => $rs_root,
    manage_system => $rs_manage,
    interval      => Integer(base::fact('agent_interval', '15')),
    units         => base::fact('agent_units', base::fact('tomcat_package', 'tomcat10')),
    require       => Class['base'],
  }
}

if $rs_role in ['app', 'tomcat'] {
  class { 'tomcat':
    root            => $rs_root,
    manage_system   => $rs_manage,
    package         => base::fact('tomcat_package', 'tomcat10'),
    http_port       => Integer(base::fact('tomcat_http_port', '8080')),
    heap_mb         => Integer(base::fact('tomcat_heap_mb', '512')),
    extra_java_opts => base::fact('tomcat_java_opts', ''),
    # unit limits: the cluster's parameters tomcat.* (a step's fact.tomcat_* wins)
    cpu_quota        => base::fact('tomcat_cpu_quota', base::fact('param_tomcat_cpuquota', '200%')),
    memory_max       => base::fact('tomcat_memory_max', base::fact('param_tomcat_memorymax', '1G')),
    restart          => base::fact('tomcat_restart', base::fact('param_tomcat_restart', 'on-failure')),
    restart_sec      => Integer(base::fact('tomcat_restart_sec', base::fact('param_tomcat_restartsec', '5'))),
    restart_burst    => Integer(base::fact('tomcat_restart_burst', base::fact('param_tomcat_restartburst', '5'))),
    restart_interval => Integer(base::fact('tomcat_restart_interval', base::fact('param_tomcat_restartintervalsec', '300'))),
    runtime_max      => base::fact('tomcat_runtime_max', base::fact('param_tomcat_runtimemaxsec', 'infinity')),
    require          => Class['base'],
  }
  # the WAR and its version: the cluster's parameters app.warUrl / app.version (a step's fact.app_war_url wins)
  $rs_war = base::fact('app_war_url', base::fact('param_app_warurl'))
  if $rs_role == 'app' and $rs_war != undef {
    class { 'app':
      root          => $rs_root,
      manage_system => $rs_manage,
      war_url       => $rs_war,
      version       => base::fact('app_version', base::fact('param_app_version', '')),
      app_name      => base::fact('app_name', 'ROOT'),
      webapps       => "/var/lib/${base::fact('tomcat_package', 'tomcat10')}/webapps",
      health_url    => base::fact('app_health_url'),
      health_tries  => Integer(base::fact('app_health_tries', '30')),
      health_sleep  => Integer(base::fact('app_health_sleep', '2')),
      require       => Class['tomcat'],
    }
  }
}
