#!/usr/bin/env bash
# The API's TLS certificate, for provision.sh (sourced; it sets prefix, gid, device_id, tls_cert, tls_key,
# allowed_hosts and host_addresses): the operator's (--tls-cert, --tls-key), or a server certificate issued by
# a CA made for this appliance. The files, as the daemon sees them:
#   /etc/edgellm/tls/server.crt              the certificate the API serves (0644)
#   /etc/edgellm/tls/ca.crt                  the appliance's CA, which clients trust (0644); none with --tls-cert
#   /etc/edgellm/tls/ca.key                  its key, root's alone (0600): needed only to issue a server certificate
#   /etc/edgellm/credentials/api-tls-key     the server certificate's key, a systemd credential (root's, 0600)
# The CA may vouch only for the names and addresses the server certificate holds (a critical nameConstraints
# extension): clients install ca.crt, and its key stays on the device, so whoever takes the device must not be
# able to issue certificates those clients would accept for any other host.
# A rerun keeps them. Only a generated server certificate that expires within 30 days, or no longer chains to
# ca.crt, is issued again, from the same CA, so clients go on trusting the appliance; a CA whose constraints do
# not cover the new certificate's names is replaced by a new one, which clients must then be given.
# shellcheck disable=SC2154 # the variables provision.sh sets before it sources this file
set -euo pipefail

tls_dir=/etc/edgellm/tls
ca_days=3650
# The longest lifetime Apple's TLS clients accept for a server certificate.
server_days=825
renew_within=$((30 * 24 * 3600))

provision_api_tls() {
  local dir=$prefix$tls_dir key=$prefix/etc/edgellm/credentials/api-tls-key
  if [[ -n $tls_cert ]]; then
    install -m 0644 -o 0 -g "$gid" "$tls_cert" "$dir/server.crt"
    install -m 0600 -o 0 -g 0 "$tls_key" "$key"
    # The appliance's own CA no longer vouches for what the API serves; clients trust the operator's CA.
    rm -f "$dir/ca.crt" "$dir/ca.key"
    note "the API serves the certificate $tls_cert"
    return
  fi
  [[ -f $dir/server.crt && -f $key ]] && ! [[ -f $dir/ca.crt ]] && return # the operator's, from an earlier run
  if [[ -f $dir/server.crt && -f $key && -f $dir/ca.crt ]] \
    && openssl x509 -in "$dir/server.crt" -noout -checkend "$renew_within" >/dev/null \
    && openssl verify -CAfile "$dir/ca.crt" "$dir/server.crt" >/dev/null 2>&1; then
    return
  fi
  local san
  san=$(subject_alt_names)
  if [[ ! -f $dir/ca.crt || ! -f $dir/ca.key ]]; then
    make_ca "$dir" "$san"
  fi
  issue_server_certificate "$dir" "$key" "$san"
  if ! openssl verify -CAfile "$dir/ca.crt" "$dir/server.crt.new" >/dev/null 2>&1; then
    note "the appliance's CA was made for other names or addresses than $san: making a new CA, which clients must be given"
    make_ca "$dir" "$san"
    issue_server_certificate "$dir" "$key" "$san"
  fi
  mv -f "$key.new" "$key"
  mv -f "$dir/server.crt.new" "$dir/server.crt"
  note "issued the API's certificate for $san"
}

# The CA's nameConstraints value from subjectAltName entries: each name, and each address alone (a full mask).
name_constraints() { # NAMES (DNS:x,IP:y,...)
  local entry out=critical
  local IFS=,
  for entry in $1; do
    case $entry in
      IP:*:*) out+=", permitted;$entry/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" ;;
      IP:*) out+=", permitted;$entry/255.255.255.255" ;;
      *) out+=", permitted;$entry" ;;
    esac
  done
  printf '%s' "$out"
}

make_ca() { # DIR NAMES
  local dir=$1 constraints
  constraints=$(name_constraints "$2")
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key.new" 2>/dev/null) \
    || die 3 "openssl could not make the CA's key"
  openssl req -x509 -new -key "$dir/ca.key.new" -sha256 -days "$ca_days" -out "$dir/ca.crt.new" -config <(
    printf '%s\n' '[req]' 'prompt = no' 'distinguished_name = dn' 'x509_extensions = ca' \
      '[dn]' "CN = EdgeLlm appliance CA ${device_id:0:40}" \
      '[ca]' 'basicConstraints = critical, CA:TRUE, pathlen:0' 'keyUsage = critical, keyCertSign, cRLSign' \
      'subjectKeyIdentifier = hash' "nameConstraints = $constraints"
  ) 2>/dev/null || die 3 "openssl could not make the CA's certificate"
  chown 0:0 "$dir/ca.key.new"
  chmod 0600 "$dir/ca.key.new"
  chown 0:"$gid" "$dir/ca.crt.new"
  chmod 0644 "$dir/ca.crt.new"
  mv -f "$dir/ca.key.new" "$dir/ca.key"
  mv -f "$dir/ca.crt.new" "$dir/ca.crt"
  note "made a CA for this appliance: $tls_dir/ca.crt (its key stays in $tls_dir/ca.key, root's alone)"
}

# The names and addresses clients reach the API by: the allowed hosts, this host's addresses, and loopback
# (edgellm health on the appliance itself).
subject_alt_names() {
  local names=(localhost 127.0.0.1 ::1) entry seen=" " out=
  for entry in "${allowed_hosts[@]}" "${host_addresses[@]}"; do
    entry=${entry#[}
    names+=("${entry%]}")
  done
  for entry in "${names[@]}"; do
    [[ $entry != '*' && $seen != *" $entry "* ]] || continue
    seen+="$entry "
    if [[ $entry =~ ^[0-9.]+$ || $entry == *:* ]]; then out+="${out:+,}IP:$entry"; else out+="${out:+,}DNS:$entry"; fi
  done
  printf '%s' "$out"
}

# Leaves KEY.new and DIR/server.crt.new for the caller to check and put in place.
issue_server_certificate() { # DIR KEY SUBJECT_ALT_NAMES
  local dir=$1 key=$2 san=$3
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key.new" 2>/dev/null) \
    || die 3 "openssl could not make the API's key"
  openssl req -new -key "$key.new" -subj "/CN=EdgeLlm API ${device_id:0:40}" 2>/dev/null \
    | openssl x509 -req -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -days "$server_days" -sha256 -out "$dir/server.crt.new" -extfile <(
        printf '%s\n' "subjectAltName = $san" 'basicConstraints = critical, CA:FALSE' \
          'keyUsage = critical, digitalSignature' 'extendedKeyUsage = serverAuth' \
          'subjectKeyIdentifier = hash' 'authorityKeyIdentifier = keyid'
      ) 2>/dev/null || die 3 "openssl could not issue the API's certificate"
  chown 0:0 "$key.new"
  chmod 0600 "$key.new"
  chown 0:"$gid" "$dir/server.crt.new"
  chmod 0644 "$dir/server.crt.new"
}

# What a client needs to trust the API, printed on every run so the operator can find it again.
print_api_trust() {
  local dir=$prefix$tls_dir file fingerprint
  file=$([[ -f $dir/ca.crt ]] && echo ca.crt || echo server.crt)
  fingerprint=$(openssl x509 -in "$dir/$file" -noout -fingerprint -sha256)
  if [[ $file == ca.crt ]]; then
    note "HTTPS: clients trust the appliance's CA, $tls_dir/ca.crt (copy it to them), SHA-256 fingerprint:"
  else
    note "HTTPS: the API serves $tls_dir/server.crt (the operator's), SHA-256 fingerprint:"
  fi
  note "  ${fingerprint#*=}"
  openssl x509 -in "$dir/server.crt" -noout -checkend "$renew_within" >/dev/null \
    || note "warning: $tls_dir/server.crt expires within 30 days"
}
