# A shell command that creates the given folders (mkdir -p), and its "unless" test, for an exec.
function base::dirs(Array[String] $dirs) >> Hash[String, String] {
  $quoted = $dirs.map |$d| { shellquote($d) }.join(' ')
  $result = {
    'command' => "mkdir -p ${quoted}",
    'unless'  => "for d in ${quoted}; do test -d \"\$d\" || exit 1; done",
  }
  $result
}
