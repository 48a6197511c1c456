# Tomcat from the OS packages, with server.xml and JVM options from parameters, and a systemd unit
# that limits CPU and memory and restarts Tomcat when it fails.
#
# $root          prefix for every file written (empty on a real node; a scratch folder in tests)
# $manage_system when false, no package is installed and no service is reloaded or started
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
  String $cpu_quota              = '200%',
  String $memory_max             = '1G',
  Enum['no', 'on-failure', 'always', 'on-abnormal'] $restart = 'on-failure',
  Integer[0] $restart_sec        = 5,
) {
  $conf_dir = "${root}/etc/${package}"
  $unit = "${root}/etc/systemd/system/${service}.service"
  $defaults = "${root}/etc/default/${package}"
  $dirs = base::dirs([$conf_dir, "${root}/etc/default", "${root}/etc/systemd/system", "${root}/var/lib/${package}/webapps"])

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
    content => epp('tomcat/tomcat.service.epp', {
      'package' => $package, 'user' => $user, 'cpu_quota' => $cpu_quota, 'memory_max' => $memory_max,
      'restart' => $restart, 'restart_sec' => $restart_sec,
    }),
    require => Exec['tomcat directories'],
  }

  if $manage_system {
    exec { 'tomcat systemd reload':
      command     => 'systemctl daemon-reload',
      path        => ['/bin', '/usr/bin'],
      refreshonly => true,
      subscribe   => File[$unit],
    }
    service { $service:
      ensure    => running,
      enable    => true,
      require   => Exec['tomcat systemd reload'],
      subscribe => File["${conf_dir}/server.xml", $defaults, $unit],
    }
  }
}
