#!/usr/bin/env bash
# Turns a blank Debian/Ubuntu or Jetson (L4T r36) host into an enrolled EdgeLlm appliance: the edgellm user
# and its directories, the daemon or its container launcher, the systemd unit, /etc/edgellm/edgellm.json
# from provisioning/edgellm.json.template, a stable device id, the trusted publisher keys, the API's TLS
# certificate (the operator's, or one from a CA made for this appliance), the secrets as systemd credentials,
# the llama.cpp natives built for the machine (the payload's natives/, or --natives; never built here),
# the host's edgellm command and USB importer, and the first admin API key (printed once, stored only as a
# hash). Idempotent: a rerun keeps the settings file, device id, credentials, certificates and keys it finds
# and creates no second admin key. --prefix DIR provisions a scratch root instead of this host (nothing is
# started; the tests use it).
# Exit codes: 0 done, 2 usage, 3 this host or an input cannot be used, 4 a tool is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

die() {
  local code=$1
  shift
  echo "provision: $*" >&2
  exit "$code"
}

note() { echo "provision: $*"; }

usage() {
  cat <<'USAGE'
Usage: provisioning/provision.sh [options]

Where and how:
  --prefix DIR              provision DIR as if it were / (for tests and image building); starts nothing
  --mode native|container   native: the published daemon in /opt/edgellm under edgellm.service (default);
                            container: the image under edgellm-container.service
  --payload DIR             native: the published daemon folder to install as /opt/edgellm
                            (scripts/image-steps.sh ROOTFS/opt/edgellm); optional on a rerun
  --natives DIR             native: llama.cpp natives built for this machine (scripts/build-natives.sh
                            --print-dir), installed as /opt/edgellm/natives in place of the payload's;
                            checked against their natives.manifest first (provisioning/natives.bash)
  --image REF               container: the image to run (e.g. edgellm:1.4.0-cuda, loaded by edgellm-usb-import)
  --runtime podman|docker   container: the runtime (default podman)
  --gpu cdi|gpus|nvidia-runtime|none
                            container: how the GPU reaches it (default cdi)
  --no-start                do not enable and start the unit

Settings (written once, to /etc/edgellm/edgellm.json; a rerun keeps the file):
  --listen URL              the API's LAN address (default https://0.0.0.0:8443); Api:Urls also gets
                            http://127.0.0.1:8080, plain HTTP on loopback only, for local tools
  --insecure-http           allow --listen http://… on the LAN (plain HTTP, no TLS); refused without it
  --allowed-host NAME       Api:AllowedHosts: a name or address clients use to reach the appliance (repeat;
                            default: localhost, 127.0.0.1, this host's name, FQDN and addresses)
  --model NAME=PATH         a model to serve (repeat); PATH as the daemon sees it, e.g.
                            /var/lib/edgellm/local/NAME.gguf (not under models/, which updates manage)
  --backend-module PATH     a ggml backend module, e.g. /opt/edgellm/lib/libggml-cuda.so (repeat)
  --device-class CLASS      Updates:DeviceClass (default: default)
  --site NAME               Telemetry:Site (default: the daemon's, "default")
  --device-id ID            this device's id (default: derived from /etc/machine-id, else random; kept in
                            /etc/edgellm/device-id and never changed by a rerun)

The API's TLS certificate (https --listen only; kept by a rerun):
  --tls-cert FILE           the PEM certificate (chain) to serve, e.g. from the site's own CA
  --tls-key FILE            its private key (goes with --tls-cert)
                            without them: a CA for this appliance (/etc/edgellm/tls/ca.crt, its key root-only)
                            that may vouch only for its names and addresses, and a server certificate for the
                            allowed host names, this host's addresses and loopback; give clients ca.crt and check
                            its SHA-256 fingerprint, printed at the end; for new names or addresses, remove
                            /etc/edgellm/tls/server.crt and rerun: the CA vouches only for the names it was
                            made for, so a new one is made, which clients must be given

Trust and credentials (files, never secrets on the command line; secrets become systemd credentials):
  --trusted-key FILE        a minisign public key allowed to sign bundles (repeat)
  --mqtt-broker URI         Telemetry:BrokerUri, e.g. mqtts://broker.site.lan:8883
  --mqtt-username NAME      Telemetry:Username
  --mqtt-password-file FILE Telemetry:PasswordFile (the credential mqtt-password)
  --mqtt-ca FILE            Telemetry:CaCertificateFile (copied to /etc/edgellm/mqtt/ca.crt)
  --mqtt-client-cert FILE   Telemetry:ClientCertificateFile (copied to /etc/edgellm/mqtt/client.crt)
  --mqtt-client-key FILE    Telemetry:ClientKeyFile (the credential mqtt-client-key)
  --admin-key-name NAME     name of the first admin API key (default admin)

Secrets are kept in /etc/edgellm/credentials/NAME (root, 0600) and handed to the daemon by systemd
(LoadCredential= in /etc/systemd/system/UNIT.d/credentials.conf); the settings name them credential:NAME.
USAGE
}

prefix=
mode=native
payload=
natives=
image=
runtime=podman
gpu=cdi
start=1
listen=https://0.0.0.0:8443
insecure_http=
allowed_hosts=()
models=()
modules=()
device_class=default
site=
device_id=
tls_cert=
tls_key=
trusted_keys=()
mqtt_broker=
mqtt_username=
mqtt_password_file=
mqtt_ca=
mqtt_client_cert=
mqtt_client_key=
admin_name="admin"
while (($#)); do
  case $1 in
    --prefix) prefix=${2:?}; shift 2 ;;
    --mode) mode=${2:?}; shift 2 ;;
    --payload) payload=${2:?}; shift 2 ;;
    --natives) natives=${2:?}; shift 2 ;;
    --image) image=${2:?}; shift 2 ;;
    --runtime) runtime=${2:?}; shift 2 ;;
    --gpu) gpu=${2:?}; shift 2 ;;
    --no-start) start=; shift ;;
    --listen) listen=${2:?}; shift 2 ;;
    --insecure-http) insecure_http=1; shift ;;
    --allowed-host) allowed_hosts+=("${2:?}"); shift 2 ;;
    --model) models+=("${2:?}"); shift 2 ;;
    --backend-module) modules+=("${2:?}"); shift 2 ;;
    --device-class) device_class=${2:?}; shift 2 ;;
    --site) site=${2:?}; shift 2 ;;
    --device-id) device_id=${2:?}; shift 2 ;;
    --tls-cert) tls_cert=${2:?}; shift 2 ;;
    --tls-key) tls_key=${2:?}; shift 2 ;;
    --trusted-key) trusted_keys+=("${2:?}"); shift 2 ;;
    --mqtt-broker) mqtt_broker=${2:?}; shift 2 ;;
    --mqtt-username) mqtt_username=${2:?}; shift 2 ;;
    --mqtt-password-file) mqtt_password_file=${2:?}; shift 2 ;;
    --mqtt-ca) mqtt_ca=${2:?}; shift 2 ;;
    --mqtt-client-cert) mqtt_client_cert=${2:?}; shift 2 ;;
    --mqtt-client-key) mqtt_client_key=${2:?}; shift 2 ;;
    --admin-key-name) admin_name=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown argument: $1" ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# Checks, before anything is written.

((EUID == 0)) || die 3 "run as root: it creates a system user and writes /etc, /opt and /var"
[[ $mode == native || $mode == container ]] || die 2 "--mode must be native or container"
[[ $runtime == podman || $runtime == docker ]] || die 2 "--runtime must be podman or docker"
[[ $gpu =~ ^(cdi|gpus|nvidia-runtime|none)$ ]] || die 2 "--gpu must be cdi, gpus, nvidia-runtime or none"
if [[ -n $prefix ]]; then
  mkdir -p "$prefix"
  prefix=$(cd "$prefix" && pwd)
  [[ $prefix != / ]] || prefix=
fi
if [[ $mode == container && -z $image ]]; then
  die 2 "--mode container needs --image"
fi
[[ $mode == native || -z $natives ]] || die 2 "--natives is for --mode native: an image carries its own natives"
for tool in systemd-sysusers install sha256sum; do
  command -v "$tool" >/dev/null || die 4 "$tool is required"
done

# Values that go into JSON unescaped must not need escaping; settings are names, paths and URLs.
plain='^[A-Za-z0-9/][A-Za-z0-9._:/@+=%-]*$'
check_plain() {
  [[ $2 =~ $plain ]] || die 2 "$1 '$2' has characters a setting cannot hold here (allowed: letters, digits and ._:/@+=%-)"
}
check_plain --listen "$listen"
check_plain --device-class "$device_class"
check_plain --admin-key-name "$admin_name"
for name in "${allowed_hosts[@]}"; do check_plain --allowed-host "$name"; done
[[ -z $site ]] || check_plain --site "$site"
[[ -z $device_id ]] || check_plain --device-id "$device_id"
[[ -z $mqtt_broker ]] || check_plain --mqtt-broker "$mqtt_broker"
[[ -z $mqtt_username ]] || check_plain --mqtt-username "$mqtt_username"
for model in "${models[@]}"; do
  [[ $model == *=/* ]] || die 2 "--model must be NAME=/absolute/path.gguf, not '$model'"
  # The update installer owns that folder and removes at start-up every version it did not install.
  [[ ${model#*=} != /var/lib/edgellm/models/* ]] \
    || die 2 "--model ${model#*=}: /var/lib/edgellm/models/ belongs to the update installer, which removes what it did not install; put the file elsewhere (e.g. /var/lib/edgellm/local/) or import it as a bundle"
  check_plain --model "${model%%=*}"
  check_plain --model "${model#*=}"
done
for module in "${modules[@]}"; do
  [[ $module == /* ]] || die 2 "--backend-module must be an absolute path"
  check_plain --backend-module "$module"
done
for file in "${trusted_keys[@]}" "$mqtt_password_file" "$mqtt_ca" "$mqtt_client_cert" "$mqtt_client_key" "$tls_cert" "$tls_key"; do
  [[ -z $file || -f $file ]] || die 3 "$file does not exist"
done
if [[ -n $mqtt_client_cert && -z $mqtt_client_key ]] || [[ -z $mqtt_client_cert && -n $mqtt_client_key ]]; then
  die 2 "--mqtt-client-cert and --mqtt-client-key go together"
fi

# The API: HTTPS on the LAN, plain HTTP only on loopback unless the operator says --insecure-http.
local_http=http://127.0.0.1:8080
[[ $listen =~ ^(https?)://([^/]+):([0-9]+)/?$ ]] || die 2 "--listen must be http(s)://HOST:PORT, not '$listen'"
listen_scheme=${BASH_REMATCH[1]}
listen_host=${BASH_REMATCH[2]}
listen_port=${BASH_REMATCH[3]}
if [[ $listen_scheme == https ]]; then
  [[ $listen_port != "${local_http##*:}" ]] || die 2 "--listen $listen: port ${local_http##*:} is the loopback HTTP address's; choose another"
  api_urls="$listen;$local_http"
else
  if [[ ! $listen_host =~ ^(127\.[0-9.]+|localhost|\[::1\])$ && -z $insecure_http ]]; then
    die 2 "--listen $listen serves plain HTTP on the LAN: use https:// (the default), or add --insecure-http to mean it"
  fi
  [[ -z $tls_cert && -z $tls_key ]] || die 2 "--tls-cert and --tls-key need an https:// --listen"
  api_urls=$listen
fi
if [[ -n $tls_cert && -z $tls_key ]] || [[ -z $tls_cert && -n $tls_key ]]; then
  die 2 "--tls-cert and --tls-key go together"
fi
if [[ $listen_scheme == https ]]; then
  command -v openssl >/dev/null || die 4 "openssl is required for the API's TLS certificate (apt-get install openssl)"
fi
if [[ -n $tls_cert ]]; then
  cert_key=$(openssl x509 -in "$tls_cert" -noout -pubkey 2>/dev/null) || die 3 "$tls_cert is not a PEM certificate"
  given_key=$(openssl pkey -in "$tls_key" -pubout 2>/dev/null) || die 3 "$tls_key is not a PEM private key"
  [[ $cert_key == "$given_key" ]] || die 3 "$tls_key is not the private key of $tls_cert"
fi

# A minisign public key file: an untrusted comment, then base64 of "Ed", an 8-byte key id and a 32-byte key.
check_minisign_public_key() {
  local decoded
  decoded=$(sed -n 2p "$1" | base64 -d 2>/dev/null | od -An -c -N2 | tr -d ' ') || true
  [[ $(sed -n 2p "$1" | base64 -d 2>/dev/null | wc -c) == 42 && $decoded == Ed ]] \
    || die 3 "$1 is not a minisign public key (minisign -G writes one)"
}
for key in "${trusted_keys[@]}"; do
  check_minisign_public_key "$key"
done

# shellcheck source=natives.bash source-path=SCRIPTDIR
. "$here/natives.bash"
# The natives the daemon will load: --natives, else the payload's own (either may be absent).
platform=$(natives_platform "$(uname -m)") || platform=
natives_given=$natives
[[ -n $natives_given || -z $payload || ! -e $payload/natives ]] || natives_given=$payload/natives
if [[ $mode == native && -n $natives_given ]]; then
  [[ -n $platform ]] || die 3 "$natives_given: there are no llama.cpp natives for a $(uname -m) host"
  natives_check "$natives_given" "$platform" >/dev/null || die 3 "the natives in $natives_given are refused"
fi

enrolled_id=
[[ ! -s $prefix/etc/edgellm/device-id ]] || enrolled_id=$(cat "$prefix/etc/edgellm/device-id")
if [[ -n $device_id && -n $enrolled_id && $device_id != "$enrolled_id" ]]; then
  die 3 "this device already has the id $enrolled_id; an id never changes (remove /etc/edgellm/device-id to re-enrol it)"
fi

os_release="$prefix/etc/os-release"
[[ -f $os_release ]] || os_release=/etc/os-release
# shellcheck source=/dev/null
os_id=$(. "$os_release" && echo "${ID:-unknown} ${VERSION_ID:-}")
case ${os_id%% *} in
  debian|ubuntu) ;;
  *) die 3 "this is $os_id; EdgeLlm appliances are Debian, Ubuntu or L4T (Ubuntu) hosts" ;;
esac
jetson=
[[ -f $prefix/etc/nv_tegra_release || -f /etc/nv_tegra_release ]] && jetson=1
note "host: $os_id${jetson:+ (Jetson, L4T)}, mode $mode${prefix:+, into $prefix}"

# ---------------------------------------------------------------------------------------------
# The user and the directories.

mkdir -p "$prefix/etc" "$prefix/usr/lib/sysusers.d"
install -m 0644 "$repo/systemd/edgellm.sysusers" "$prefix/usr/lib/sysusers.d/edgellm.conf"
if [[ -n $prefix ]]; then
  systemd-sysusers --root="$prefix" "$prefix/usr/lib/sysusers.d/edgellm.conf" >/dev/null
else
  systemd-sysusers /usr/lib/sysusers.d/edgellm.conf >/dev/null
fi
uid=$(awk -F: '$1 == "edgellm" {print $3}' "$prefix/etc/passwd")
gid=$(awk -F: '$1 == "edgellm" {print $4}' "$prefix/etc/passwd")
[[ -n $uid && -n $gid ]] || die 3 "the edgellm user was not created"

# /etc/edgellm is root's and readable by the daemon's group only. The secrets in credentials/ are root's
# alone: systemd hands the daemon a copy ($CREDENTIALS_DIRECTORY), so the daemon's user cannot read the source.
install -d -m 0750 -o 0 -g "$gid" "$prefix/etc/edgellm" "$prefix/etc/edgellm/trusted-keys" "$prefix/etc/edgellm/mqtt" \
  "$prefix/etc/edgellm/tls"
install -d -m 0700 -o 0 -g 0 "$prefix/etc/edgellm/credentials"
install -d -m 0750 -o "$uid" -g "$gid" "$prefix/var/lib/edgellm" "$prefix/var/lib/edgellm/incoming" "$prefix/var/log/edgellm"
install -d -m 0755 -o 0 -g 0 "$prefix/opt/edgellm" "$prefix/usr/local/bin" \
  "$prefix/usr/local/sbin" "$prefix/etc/systemd/system"

# ---------------------------------------------------------------------------------------------
# The program: the daemon itself (native) or the container launcher.

if [[ $mode == native ]]; then
  if [[ -n $payload ]]; then
    [[ -x $payload/edgellm ]] || die 3 "$payload has no edgellm executable (give scripts/image-steps.sh's ROOTFS/opt/edgellm)"
    # Swap the whole folder, so a running daemon never sees half a new version.
    staging="$prefix/opt/.edgellm.new"
    rm -rf "$staging"
    cp -R --preserve=mode "$payload" "$staging"
    if [[ -n $natives ]]; then
      installed=$(natives_install "$natives" "$staging/natives" "$platform") || die 3 "the natives could not be installed"
      note "$installed"
    fi
    chown -R 0:0 "$staging"
    rm -rf "$prefix/opt/.edgellm.old"
    mv "$prefix/opt/edgellm" "$prefix/opt/.edgellm.old"
    mv "$staging" "$prefix/opt/edgellm"
    rm -rf "$prefix/opt/.edgellm.old"
    note "installed the daemon from $payload"
  fi
  [[ -x $prefix/opt/edgellm/edgellm ]] || die 3 "no daemon in $prefix/opt/edgellm: give --payload"
  if [[ -n $natives && -z $payload ]]; then
    installed=$(natives_install "$natives" "$prefix/opt/edgellm/natives" "$platform") || die 3 "the natives could not be installed"
    chown -R 0:0 "$prefix/opt/edgellm/natives"
    note "$installed"
  elif [[ ! -d $prefix/opt/edgellm/natives ]]; then
    note "no llama.cpp natives for this machine: the daemon runs on LLamaSharp's own (give --natives)"
  fi
  if [[ -d $prefix/opt/edgellm/natives ]]; then
    missing=$(natives_unresolved "$prefix/opt/edgellm/natives" | tr '\n' ' ')
    [[ -z $missing ]] || note "warning: the natives need ${missing}which this host lacks (libgomp.so.1: apt-get install libgomp1)"
  fi
  # Self-update: the service runs releases/current, the provisioned daemon until a signed release replaces it.
  install -d -m 0755 -o 0 -g 0 "$prefix/opt/edgellm-supervisor"
  install -m 0755 "$repo/systemd/edgellm-release" "$prefix/opt/edgellm-supervisor/edgellm-release"
  install -d -m 0750 -o "$uid" -g "$gid" "$prefix/var/lib/edgellm/releases"
  # -L as well as -e: under --prefix (and before /opt/edgellm exists) the link dangles, and -e follows it.
  current="$prefix/var/lib/edgellm/releases/current"
  [[ -L $current || -e $current ]] || ln -s /opt/edgellm "$current"
  install -m 0644 "$repo/systemd/edgellm.service" "$prefix/etc/systemd/system/edgellm.service"
  rm -f "$prefix/etc/systemd/system/edgellm-container.service" "$prefix/etc/edgellm/container.env"
  rm -rf "$prefix/etc/systemd/system/edgellm-container.service.d"
  unit=edgellm.service
else
  install -d -m 0755 -o 0 -g 0 "$prefix/opt/edgellm/libexec"
  install -m 0755 "$repo/systemd/edgellm-container" "$prefix/opt/edgellm/libexec/edgellm-container"
  install -m 0644 "$repo/systemd/edgellm-container.service" "$prefix/etc/systemd/system/edgellm-container.service"
  rm -f "$prefix/etc/systemd/system/edgellm.service"
  rm -rf "$prefix/etc/systemd/system/edgellm.service.d"
  # Rewritten on every run: it holds no operator edits, only these choices.
  cat >"$prefix/etc/edgellm/container.env" <<ENV
# Written by provisioning/provision.sh; read by edgellm-container.service and /usr/local/bin/edgellm.
EDGELLM_CONTAINER_RUNTIME=$runtime
EDGELLM_IMAGE=$image
EDGELLM_GPU=$gpu
EDGELLM_UID=$uid
EDGELLM_GID=$gid
ENV
  chmod 0644 "$prefix/etc/edgellm/container.env"
  unit=edgellm-container.service
fi
install -m 0755 "$here/edgellm-host" "$prefix/usr/local/bin/edgellm"
install -m 0755 "$here/usb-import.sh" "$prefix/usr/local/sbin/edgellm-usb-import"

# ---------------------------------------------------------------------------------------------
# Device identity, trusted keys, the API's name and addresses.

if [[ ! -s $prefix/etc/edgellm/device-id ]]; then
  if [[ -z $device_id && -s $prefix/etc/machine-id ]]; then
    # Not the machine id itself, which systemd asks applications not to expose: a hash bound to EdgeLlm.
    hash=$(printf 'edgellm-device:%s' "$(cat "$prefix/etc/machine-id")" | sha256sum)
    device_id="${hash:0:8}-${hash:8:4}-${hash:12:4}-${hash:16:4}-${hash:20:12}"
  fi
  [[ -n $device_id ]] || device_id=$(cat /proc/sys/kernel/random/uuid)
  echo "$device_id" >"$prefix/etc/edgellm/device-id"
  chmod 0644 "$prefix/etc/edgellm/device-id"
  note "device id $device_id"
fi
device_id=$(cat "$prefix/etc/edgellm/device-id")

for key in "${trusted_keys[@]}"; do
  name=$(basename "$key" .pub)
  install -m 0640 -o 0 -g "$gid" "$key" "$prefix/etc/edgellm/trusted-keys/$name.pub"
  note "trusted publisher key $name.pub"
done
[[ -n $(ls -A "$prefix/etc/edgellm/trusted-keys") ]] \
  || note "warning: no trusted publisher key yet: every bundle will be refused until one is in /etc/edgellm/trusted-keys"

# This host's addresses (no loopback, no link-local), IPv6 ones bracketed as they appear in a Host header.
host_addresses=()
for address in $(hostname -I 2>/dev/null || true); do
  if [[ $address =~ ^[0-9.]+$ ]]; then
    host_addresses+=("$address")
  elif [[ $address =~ ^[0-9a-fA-F:]+$ && ! $address =~ ^[fF][eE]80: ]]; then
    host_addresses+=("[$address]")
  fi
done
# Requests must name the appliance by a name the operator knows (DNS rebinding protection).
if ((${#allowed_hosts[@]} == 0)); then
  allowed_hosts=(localhost 127.0.0.1)
  for name in "$(hostname 2>/dev/null || true)" "$(hostname -f 2>/dev/null || true)" "${host_addresses[@]}"; do
    if [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9.-]*$|^\[[0-9a-fA-F:]+\]$ && ! " ${allowed_hosts[*]} " =~ \ $name\  ]]; then
      allowed_hosts+=("$name")
    fi
  done
fi

# ---------------------------------------------------------------------------------------------
# Secrets: systemd credentials. Public files: ordinary files under /etc/edgellm.

copy_public() { # SOURCE PATH (as the daemon sees it) -> prints PATH
  install -m 0644 -o 0 -g "$gid" "$1" "$prefix$2"
  echo "$2"
}
copy_secret() { # SOURCE NAME -> prints the setting's value, credential:NAME
  install -m 0600 -o 0 -g 0 "$1" "$prefix/etc/edgellm/credentials/$2"
  echo "credential:$2"
}
mqtt_password_setting=
mqtt_ca_path=
mqtt_client_cert_path=
mqtt_client_key_setting=
[[ -z $mqtt_password_file ]] || mqtt_password_setting=$(copy_secret "$mqtt_password_file" mqtt-password)
[[ -z $mqtt_ca ]] || mqtt_ca_path=$(copy_public "$mqtt_ca" /etc/edgellm/mqtt/ca.crt)
[[ -z $mqtt_client_cert ]] || mqtt_client_cert_path=$(copy_public "$mqtt_client_cert" /etc/edgellm/mqtt/client.crt)
[[ -z $mqtt_client_key ]] || mqtt_client_key_setting=$(copy_secret "$mqtt_client_key" mqtt-client-key)

# shellcheck source=api-tls.bash source-path=SCRIPTDIR
. "$here/api-tls.bash"
api_tls_cert_path=
api_tls_key_setting=
if [[ $listen_scheme == https ]]; then
  provision_api_tls
  api_tls_cert_path=/etc/edgellm/tls/server.crt
  api_tls_key_setting=credential:api-tls-key
fi

# Every secret present becomes a LoadCredential= of the unit, rewritten on each run so it matches the folder.
dropin="$prefix/etc/systemd/system/$unit.d"
credentials=()
for file in "$prefix/etc/edgellm/credentials"/*; do
  [[ -f $file ]] && credentials+=("$(basename "$file")")
done
if ((${#credentials[@]})); then
  install -d -m 0755 -o 0 -g 0 "$dropin"
  {
    echo "# Written by provisioning/provision.sh on every run: the secrets in /etc/edgellm/credentials, which the daemon"
    echo "# reads from \$CREDENTIALS_DIRECTORY (settings credential:NAME). Add a secret there and rerun provisioning."
    echo "[Service]"
    for name in "${credentials[@]}"; do echo "LoadCredential=$name:/etc/edgellm/credentials/$name"; done
  } >"$dropin/credentials.conf"
  chmod 0644 "$dropin/credentials.conf"
else
  rm -f "$dropin/credentials.conf"
fi

# ---------------------------------------------------------------------------------------------
# Settings, from the template, once. A setting without a value is left out, so the daemon's default stands.

absent=@ABSENT@
json_string() { if [[ -n $1 ]]; then printf '"%s"' "$1"; else printf '%s' "$absent"; fi; }
json_array() { # ITEM... (already JSON)
  (($#)) || { printf '%s' "$absent"; return; }
  local joined=
  for item in "$@"; do joined+="${joined:+, }$item"; done
  printf '[%s]' "$joined"
}
# Drops the members whose value is absent, then the comma a dropped last member leaves before a } or ].
drop_absent() {
  awk -v absent="$absent" '
    index($0, absent) { next }
    { line[++n] = $0 }
    END {
      for (i = 1; i <= n; i++) {
        if (i < n && line[i + 1] ~ /^[[:space:]]*[]}]/) sub(/,[[:space:]]*$/, "", line[i])
        print line[i]
      }
    }'
}
settings="$prefix/etc/edgellm/edgellm.json"
if [[ -f $settings ]]; then
  note "kept the existing $settings (edit it, or remove it and rerun to start from the template)"
else
  model_items=()
  for model in "${models[@]}"; do
    model_items+=("{ \"Name\": $(json_string "${model%%=*}"), \"Path\": $(json_string "${model#*=}") }")
  done
  module_items=()
  for module in "${modules[@]}"; do module_items+=("$(json_string "$module")"); done
  host_items=()
  for name in "${allowed_hosts[@]}"; do host_items+=("$(json_string "$name")"); done
  text=$(<"$here/edgellm.json.template")
  text=${text//@API_URLS@/$(json_string "$api_urls")}
  text=${text//@ALLOWED_HOSTS@/$(json_array "${host_items[@]}")}
  text=${text//@API_TLS_CERT_FILE@/$(json_string "$api_tls_cert_path")}
  text=${text//@API_TLS_KEY_FILE@/$(json_string "$api_tls_key_setting")}
  text=${text//@MODELS@/$(json_array "${model_items[@]}")}
  text=${text//@BACKEND_MODULES@/$(json_array "${module_items[@]}")}
  text=${text//@DEVICE_CLASS@/$(json_string "$device_class")}
  text=${text//@MQTT_BROKER_URI@/$(json_string "$mqtt_broker")}
  text=${text//@MQTT_USERNAME@/$(json_string "$mqtt_username")}
  text=${text//@MQTT_PASSWORD_FILE@/$(json_string "$mqtt_password_setting")}
  text=${text//@MQTT_CA_FILE@/$(json_string "$mqtt_ca_path")}
  text=${text//@MQTT_CLIENT_CERT_FILE@/$(json_string "$mqtt_client_cert_path")}
  text=${text//@MQTT_CLIENT_KEY_FILE@/$(json_string "$mqtt_client_key_setting")}
  text=${text//@SITE@/$(json_string "$site")}
  text=${text//@DEVICE_ID@/$(json_string "$device_id")}
  text=$(drop_absent <<<"$text")
  [[ ! $text =~ @[A-Z_]+@ ]] || die 3 "the template has a placeholder this script does not fill: ${BASH_REMATCH[0]}"
  printf '%s\n' "$text" >"$settings"
  chown 0:"$gid" "$settings"
  chmod 0640 "$settings"
  note "wrote $settings"
fi
((${#models[@]})) || grep -q '"Path"' "$settings" \
  || note "no model configured yet: the daemon starts once /etc/edgellm/edgellm.json names one (Inference:Models)"

# ---------------------------------------------------------------------------------------------
# The first admin API key: created once, printed once, stored only as a hash.

# Runs the edgellm command line against this appliance's data directory as the edgellm user.
edgellm_cli() {
  if [[ -n $prefix ]]; then
    # Run by root in the scratch root: then give what it wrote to the daemon's user, as runuser would have.
    local status=0
    (umask 0027 && "$prefix/opt/edgellm/edgellm" "$@" --data-dir "$prefix/var/lib/edgellm") || status=$?
    chown -R "$uid:$gid" "$prefix/var/lib/edgellm"
    return "$status"
  elif [[ $mode == container ]]; then
    "$runtime" run --rm -i --pull=never --network=none --user "$uid:$gid" \
      --volume /var/lib/edgellm:/var/lib/edgellm "$image" "$@"
  elif systemctl is-active --quiet edgellm.service 2>/dev/null; then
    /usr/local/bin/edgellm "$@"
  else
    runuser -u edgellm -- /opt/edgellm/edgellm "$@"
  fi
}

can_run_cli=1
if [[ $mode == container && -z $prefix ]] && ! "$runtime" image exists "$image" 2>/dev/null \
  && ! "$runtime" image inspect "$image" >/dev/null 2>&1; then
  can_run_cli=
fi
if [[ $mode == container && -n $prefix ]]; then
  can_run_cli=
fi

if [[ -z $can_run_cli ]]; then
  note "the image $image is not here yet: after edgellm-usb-import, create the admin key with"
  note "  sudo edgellm keys create --name $admin_name --tenant default --scope admin --scope inference --scope ingest"
else
  listing=$(edgellm_cli keys list) || die 3 "cannot read the API keys: $listing"
  # Columns: ID NAME TENANT SCOPES CREATED LAST-USED REVOKED; an active key's last column is '-'.
  if awk -v name="$admin_name" '$2 == name && $NF == "-" {found = 1} END {exit !found}' <<<"$listing"; then
    note "the admin key '$admin_name' exists; it is not shown again (edgellm keys list; create another with edgellm keys create)"
  else
    created=$(edgellm_cli keys create --name "$admin_name" --tenant default --scope admin --scope inference --scope ingest) \
      || die 3 "cannot create the admin key: $created"
    key=$(awk '$1 ~ /^ellm_/ {print $1}' <<<"$created")
    [[ -n $key ]] || die 3 "the admin key was not printed: $created"
    echo
    echo "First admin API key (shown once, never stored: copy it now):"
    echo
    echo "    $key"
    echo
  fi
fi

# ---------------------------------------------------------------------------------------------
# Start, what clients need to trust, and the firewall note.

if [[ -n $prefix || -z $start ]]; then
  note "not started${prefix:+ (--prefix)}: systemctl enable --now $unit"
elif [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
  systemctl enable "$unit" >/dev/null
  systemctl restart "$unit" --no-block
  note "$unit enabled and starting (journalctl -u $unit -f)"
else
  note "systemd is not running here: start $unit once it is"
fi
[[ $listen_scheme != https ]] || print_api_trust
cat <<NOTE
provision: firewall: the API listens on $listen. This script changes no firewall rule. Allow only the
provision: intranet clients that need it, for example:
provision:   ufw allow from 10.0.0.0/8 to any port $listen_port proto tcp
provision:   nft add rule inet filter input ip saddr 10.0.0.0/8 tcp dport $listen_port accept
provision: MQTT telemetry and update pulls are outgoing only; nothing else listens.
NOTE
