# Prometheus node exporter from the OS packages, with its arguments and a textfile metric that tells
# Prometheus which cluster, node and role this machine is.
#
# $root          prefix for every file written (empty on a real node; a scratch folder in tests)
# $manage_system when false, no package is installed and no service is started
class node_exporter (
  String $root                 = '',
  Boolean $manage_system       = true,
  String $package              = 'prometheus-node-exporter',
  String $service              = $package,
  String $listen_address       = ':9100',
  Array[String] $collectors    = ['systemd', 'processes'],
  String $textfile_dir         = '/var/lib/prometheus/node-exporter',
  String $cluster              = 'default',
  String $node_name            = $facts['networking']['hostname'],
  String $role                 = 'app',
) {
  $dirs = base::dirs(["${root}/etc/default", "${root}${textfile_dir}"])
  if $manage_system {
    package { $package:
      ensure => installed,
      before => Exec['node_exporter directories'],
    }
  }
  exec { 'node_exporter directories':
    command => $dirs['command'],
    unless  => $dirs['unless'],
    provider => shell,
    path    => ['/bin', '/usr/bin'],
  }

  $flags = ["--web.listen-address=${listen_address}", "--collector.textfile.directory=${textfile_dir}"] +
    $collectors.map |$c| { "--collector.${c}" }
  file { "${root}/etc/default/${package}":
    ensure  => file,
    mode    => '0644',
    content => "# Written by rulescaler (Puppet module node_exporter)\nARGS=\"${flags.join(' ')}\"\n",
    require => Exec['node_exporter directories'],
  }
  file { "${root}${textfile_dir}/rulescaler.prom":
    ensure  => file,
    mode    => '0644',
    content => "# HELP rulescaler_node_info The cluster, node and role of this machine.\n# TYPE rulescaler_node_info gauge\nrulescaler_node_info{cluster=\"${cluster}\",node=\"${node_name}\",role=\"${role}\"} 1\n",
    require => Exec['node_exporter directories'],
  }

  if $manage_system {
    service { $service:
      ensure    => running,
      enable    => true,
      subscribe => File["${root}/etc/default/${package}"],
    }
  }
}
