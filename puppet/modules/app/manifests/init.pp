# The application: a WAR fetched from a URL (http(s), puppet:// or a local path) into Tomcat's webapps,
# then a wait until its health URL answers, so the node joins the load balancer only when it serves.
#
# $root          prefix for every file written (empty on a real node; a scratch folder in tests)
# $manage_system when false, file ownership is left alone (no tomcat user needed)
# $war_url, $version the cluster's parameters app.warUrl and app.version (facts rulescaler_param_app_warurl,
#                rulescaler_param_app_version); the version is written next to the WAR for people and checks
class app (
  String $war_url,
  String $version               = '',
  String $root                  = '',
  Boolean $manage_system        = true,
  String $app_name              = 'ROOT',
  String $webapps               = '/var/lib/tomcat10/webapps',
  String $owner                 = 'tomcat',
  Optional[String] $health_url  = undef,
  Integer[1] $health_tries      = 30,
  Integer[0] $health_sleep      = 2,
) {
  $dirs = base::dirs(["${root}${webapps}"])
  exec { 'app directories':
    command => $dirs['command'],
    unless  => $dirs['unless'],
    provider => shell,
    path    => ['/bin', '/usr/bin'],
  }

  $war = "${root}${webapps}/${app_name}.war"
  file { $war:
    ensure   => file,
    source   => $war_url,
    mode     => '0644',
    owner    => $manage_system ? { true => $owner, default => undef },
    checksum => 'md5',
    require  => Exec['app directories'],
  }

  if $version != '' {
    file { "${root}${webapps}/${app_name}.version":
      ensure  => file,
      content => "${version}\n",
      mode    => '0644',
      require => Exec['app directories'],
    }
  }

  if $health_url != undef and $health_url != '' {
    $probe = "curl -fsS -o /dev/null --max-time 5 ${shellquote($health_url)}"
    exec { "app ${app_name} answers":
      command   => $probe,
      unless    => $probe,
      path      => ['/bin', '/usr/bin'],
      tries     => $health_tries,
      try_sleep => $health_sleep,
      require   => File[$war],
    }
  }
}
