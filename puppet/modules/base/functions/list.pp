# Reads a comma-separated fact rulescaler_<name> as an array of non-empty strings.
function base::list(String $name, Array[String] $default = []) >> Array[String] {
  $value = base::fact($name)
  if $value == undef { $default } else { split($value, ',').map |$s| { strip($s) }.filter |$s| { $s != '' } }
}
