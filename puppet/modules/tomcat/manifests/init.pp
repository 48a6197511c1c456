# Tomcat from the OS packages, with server.xml and JVM options from parameters, and a systemd unit
# that limits CPU and memory and restarts Tomcat when it fails. The limits live in a drop-in,
# /etc/systemd/system/<service>.service.d/rulescaler-limits.conf, from the cluster's parameters
# tomcat.cpuQuota, tomcat.memoryMax, tomcat.restart, tomcat.restartSec, tomcat.restartBurst,
# tomcat.restartIntervalSec and tomcat.runtimeMaxSec (see puppet/manifests/site.pp). Restarts and
# limit kills show in systemd's NRestarts and Result, which the agent reports.
#
# $root          prefix for every file written (empty on a real node; a scratch folder in tests)
# $manage_system when false, no package is installed and no service is reloaded or started
# $cpu_quota     CPUQuota (percent of one CPU, e.g. 150%)
# $memory_max    MemoryMax (bytes with K/M/G/T, or infinity); past it the kernel kills Tomcat (Result=oom-kill)
# $restart       Restart policy; $restart_sec seconds between restarts
# $restart_burst, $restart_interval  at most this many starts within this many seconds (StartLimitBurst,
#                StartLimitIntervalSec), then systemd gives up and the unit stays failed
# $runtime_max   RuntimeMaxSec: seconds Tomcat may run before systemd stops it (Result=timeout), or infinity
class tomcat (
  String $root                   = '',
  Boolean $manage_system         = true,
  String $package                = 'tomcat10',
  String $service                = $package,
  String $user                   = 'tomcat',
  Integer[1, 65535] $http_port   = 8080,
  Integer[-1, 65535] $shutdown_port = -1,
  Integer[1] $max_threads        = 200,
  Integer[64] $heap_mb           = 512,
  String $extra_java_opts        = '',
  Pattern[/\A[1-9][0-9]*%\z/] $cpu_quota = '200%',
  Pattern[/\A([1-9][0-9]*[KMGT]?|infinity)\z/] $memory_max = '1G',
  Enum['no', 'on-failure', 'always', 'on-abnormal'] $restart = 'on-failure',
  Integer[0] $restart_sec        = 5,
  Integer[0] $restart_burst      = 5,
  Integer[0] $restart_interval   = 300,
  Pattern[/\A([1-9][0-9]*|infinity)\z/] $runtime_max = 'infinity',
) {
  $conf_dir = "${root}/etc/${package}"
  $unit = "${root}/etc/systemd/system/${service}.service"
  $defaults = "${root}/etc/default/${package}"
  $dropin_dir = "${root}/etc/systemd/system/${service}.service.d"
  $limits = "${dropin_dir}/rulescaler-limits.conf"
  $dirs = base::dirs([$conf_dir, "${root}/etc/default", "${root}/etc/systemd/system", $dropin_dir,
    "${root}/var/lib/${package}/webapps"])

  if $manage_system {
    package { $package:
      ensure => installed,
      before => Exec['tomcat directories'],
    }
  }

  exec { 'tomcat directories':
    command => $dirs['command'],
    unless  => $dirs['unless'],
    provider => shell,
    path    => ['/bin', '/usr/bin'],
  }

  file { "${conf_dir}/server.xml":
    ensure  => file,
    mode    => '0644',
    content => epp('tomcat/server.xml.epp', {
      'http_port' => $http_port, 'shutdown_port' => $shutdown_port, 'max_threads' => $max_threads,
    }),
    require => Exec['tomcat directories'],
  }

  file { $defaults:
    ensure  => file,
    mode    => '0644',
    content => "# Written by rulescaler (Puppet module tomcat)\nJAVA_OPTS=\"-Djava.awt.headless=true -Xms${heap_mb}m -Xmx${heap_mb}m -XX:+UseG1GC ${extra_java_opts}\"\n",
    require => Exec['tomcat directories'],
  }

  file { $unit:
    ensure  => file,
    mode    => '0644',
    content => epp('tomcat/tomcat.service.epp', { 'package' => $package, 'user' => $user }),
    require => Exec['tomcat directories'],
  }

  file { $limits:
    ensure  => file,
    mode    => '0644',
    content => epp('tomcat/limits.conf.epp', {
      'cpu_quota' => $cpu_quota, 'memory_max' => $memory_max, 'restart' => $restart, 'restart_sec' => $restart_sec,
      'restart_burst' => $restart_burst, 'restart_interval' => $restart_interval, 'runtime_max' => $runtime_max,
    }),
    require => Exec['tomcat directories'],
  }

  if $manage_system {
    exec { 'tomcat systemd reload':
      command     => 'systemctl daemon-reload',
      path        => ['/bin', '/usr/bin'],
      refreshonly => true,
      subscribe   => File[$unit, $limits],
    }
    service { $service:
      ensure    => running,
      enable    => true,
      require   => Exec['tomcat systemd reload'],
      subscribe => File["${conf_dir}/server.xml", $defaults, $unit, $limits],
    }
  }
}
