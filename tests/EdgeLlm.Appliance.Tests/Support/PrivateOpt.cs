namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// A command run in a private mount namespace whose /opt is this host's without <c>/opt/edgellm</c> and
/// <c>/opt/edgellm-supervisor</c>: a scratch root's <c>releases/current</c> link, which points at /opt/edgellm as the
/// appliance sees it, then leads nowhere whatever this host has installed, while the rest of /opt (a CI runner's
/// checkout in /opt/actions-runner/_work, the NuGet cache) stays where it is. A tmpfs over /opt alone would hide
/// all of it; a tmpfs over /opt/edgellm alone would leave an empty folder the link reaches. So /opt becomes a tmpfs
/// with every other entry bound back into it from the folder it covers, reached through the working directory
/// (--no-canonicalize: mount(8) would otherwise turn the relative path into one through the new tmpfs).
/// </summary>
internal static class PrivateOpt
{
    /// <summary>$1 the folder to rebuild without the hidden entries; then the command.</summary>
    private const string Script = """
        set -euo pipefail
        folder=$1
        shift
        if [[ -d $folder ]]; then
          cd "$folder"
          mount -t tmpfs -o "mode=$(stat -c %a .)" tmpfs "$folder"
          shopt -s dotglob nullglob
          for entry in *; do
            case $entry in edgellm | edgellm-supervisor) continue ;; esac
            if [[ -L $entry ]]; then
              cp -P "$entry" "$folder/$entry"
            elif [[ -d $entry ]]; then
              mkdir "$folder/$entry" && mount --no-canonicalize --rbind "$entry" "$folder/$entry"
            else
              touch "$folder/$entry" && mount --no-canonicalize --bind "$entry" "$folder/$entry"
            fi
          done
          cd /
        fi
        exec "$@"
        """;

    /// <summary>The program and arguments that run <paramref name="program"/> so, for <c>/opt</c> or a test's own <paramref name="folder"/>.</summary>
    public static (string Program, string[] Arguments) Wrap(string program, IEnumerable<string> arguments, string folder = "/opt") =>
        ("unshare", ["--mount", "bash", "-c", Script, "private-opt", folder, program, .. arguments]);
}
