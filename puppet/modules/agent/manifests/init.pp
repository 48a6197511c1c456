# The rulescaler node agent: a shell script run by a systemd timer every $interval seconds, posting a
# heartbeat with load, CPU, memory, disk and the state of each watched unit (restarts, last journal
# lines when it failed) with the node's own token. The token, the service URL and the node id arrive
# in /etc/rulescaler/agent.env (mode 0600), written by the chain's HandOverNodeToken step.
#
# $root          prefix for every file written (empty on a real node; a scratch folder in tests)
# $manage_system when false, no unit is enabled or started
# $interval      seconds between heartbeats (default 15)
# $units         watched systemd units, space-separated (default: the app's Tomcat unit)
class agent (
  String $root           = '',
  Boolean $manage_system = true,
  Integer $interval      = 15,
  String $units          = 'tomcat10',
  String $script         = '/usr/local/bin/rulescaler-agent',
) {
  $dirs = base::dirs(["${root}/usr/local/bin", "${root}/etc/systemd/system", "${root}/etc/rulescaler"])
  exec { 'agent directories':
    command  => $dirs['command'],
    unless   => $dirs['unless'],
    provider => shell,
    path     => ['/bin', '/usr/bin'],
  }
  file { "${root}${script}":
    ensure  => file,
    mode    => '0755',
    source  => 'puppet:///modules/agent/rulescaler-agent.sh',
    require => Exec['agent directories'],
  }
  file { "${root}/etc/systemd/system/rulescaler-agent.service":
    ensure  => file,
    mode    => '0644',
    content => epp('agent/rulescaler-agent.service.epp', { 'script' => $script, 'units' => $units }),
    require => Exec['agent directories'],
  }
  file { "${root}/etc/systemd/system/rulescaler-agent.timer":
    ensure  => file,
    mode    => '0644',
    content => epp('agent/rulescaler-agent.timer.epp', { 'interval' => $interval }),
    require => Exec['agent directories'],
  }
  if $manage_system {
    exec { 'agent daemon-reload':
      command     => 'systemctl daemon-reload',
      path        => ['/bin', '/usr/bin'],
      refreshonly => true,
      subscribe   => [File["${root}/etc/systemd/system/rulescaler-agent.service"],
                      File["${root}/etc/systemd/system/rulescaler-agent.timer"]],
    }
    service { 'rulescaler-agent.timer':
      ensure  => running,
      enable  => true,
      require => Exec['agent daemon-reload'],
    }
  }
}
