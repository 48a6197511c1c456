# Reads the fact rulescaler_<name> (set by the OSConfiguration action as FACTER_rulescaler_<name>),
# or returns the default when the fact is absent or empty.
function base::fact(String $name, $default = undef) {
  $value = $facts["rulescaler_${name}"]
  if $value == undef or $value == '' { $default } else { $value }
}
