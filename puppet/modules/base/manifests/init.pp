# Base of every node: identity of the node in its cluster, login users, packages, time and sysctl.
#
# $root          prefix for every file written (empty on a real node; a scratch folder in tests)
# $manage_system when false, nothing outside $root changes: no packages, users, services or sysctl reload
class base (
  String $root                 = '',
  Boolean $manage_system       = true,
  String $cluster              = 'default',
  String $node_name            = $facts['networking']['hostname'],
  String $node_index           = '',
  String $zone                 = '',
  String $role                 = 'app',
  String $load_balancer        = '',
  Array[String] $peers         = [],
  Array[String] $users         = ['deploy'],
  Array[String] $packages      = ['curl', 'chrony', 'tar', 'ca-certificates'],
  String $timezone             = 'Etc/UTC',
  Array[String] $ntp_servers   = ['0.debian.pool.ntp.org', '1.debian.pool.ntp.org'],
  Hash[String, String] $sysctl = {
    'net.core.somaxconn'           => '1024',
    'net.ipv4.ip_local_port_range' => '10240 65000',
    'net.ipv4.tcp_tw_reuse'        => '1',
    'vm.swappiness'                => '10',
  },
) {
  $dirs = base::dirs(["${root}/etc/rulescaler", "${root}/etc/sysctl.d", "${root}/etc/chrony/conf.d"])
  exec { 'base directories':
    command => $dirs['command'],
    unless  => $dirs['unless'],
    provider => shell,
    path    => ['/bin', '/usr/bin'],
    before  => File["${root}/etc/rulescaler/node.conf", "${root}/etc/sysctl.d/60-rulescaler.conf",
                    "${root}/etc/chrony/conf.d/rulescaler.conf", "${root}/etc/timezone", "${root}/etc/localtime"],
  }

  file { "${root}/etc/rulescaler/node.conf":
    ensure  => file,
    mode    => '0644',
    content => epp('base/node.conf.epp', {
      'cluster' => $cluster, 'node_name' => $node_name, 'node_index' => $node_index, 'zone' => $zone,
      'role' => $role, 'load_balancer' => $load_balancer, 'peers' => $peers,
    }),
  }

  file { "${root}/etc/sysctl.d/60-rulescaler.conf":
    ensure  => file,
    mode    => '0644',
    content => $sysctl.keys.sort.map |$k| { "${k} = ${sysctl[$k]}\n" }.join(''),
  }

  file { "${root}/etc/timezone":
    ensure  => file,
    mode    => '0644',
    content => "${timezone}\n",
  }
  file { "${root}/etc/localtime":
    ensure => link,
    target => "/usr/share/zoneinfo/${timezone}",
  }

  file { "${root}/etc/chrony/conf.d/rulescaler.conf":
    ensure  => file,
    mode    => '0644',
    content => $ntp_servers.map |$s| { "server ${s} iburst\n" }.join(''),
  }

  if $manage_system {
    package { $packages:
      ensure => installed,
      before => File["${root}/etc/chrony/conf.d/rulescaler.conf"],
    }
    user { $users:
      ensure     => present,
      managehome => true,
      shell      => '/bin/bash',
    }
    exec { 'base sysctl reload':
      command     => 'sysctl --system',
      path        => ['/sbin', '/usr/sbin', '/bin', '/usr/bin'],
      refreshonly => true,
      subscribe   => File["${root}/etc/sysctl.d/60-rulescaler.conf"],
    }
    service { 'chrony':
      ensure    => running,
      enable    => true,
      subscribe => File["${root}/etc/chrony/conf.d/rulescaler.conf"],
    }
  }
}
