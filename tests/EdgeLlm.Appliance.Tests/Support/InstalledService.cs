using System.Diagnostics;
using System.Globalization;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// The edgellm.service provisioning installed into a scratch root, started the way systemd starts it as far as a
/// test can without systemd: each ExecStartPre=, then ExecStart= in its place (the release launcher, which execs
/// the daemon, so the process started is the daemon), as the unit's User= and Group= (numeric, from the root's
/// /etc/passwd and /etc/group; not SupplementaryGroups=video, which the root has no group for), with its UMask=, no
/// new privileges and no capabilities, and only an environment systemd would give: the unit's Environment= lines,
/// PATH, HOME, TMPDIR, USER, LOGNAME and CREDENTIALS_DIRECTORY. As for the settings (<see cref="ScratchRootSettings"/>), every path under the appliance's
/// folders is read inside the root: the settings file becomes its remapped copy, %S and %L are /var/lib and
/// /var/log there, and the launcher's built-in /opt/edgellm is given as EDGELLM_FACTORY_RELEASE. HOME and TMPDIR are
/// scratch folders of the service user's own (PrivateTmp= gives the service a /tmp of its own). This host's
/// /opt/edgellm is out of sight (<see cref="PrivateOpt"/>), so the guard meets releases/current as a fresh
/// appliance has it, leading to no release yet, and points it at the provisioned daemon.
/// </summary>
internal sealed class InstalledService
{
    private const string SettingsFile = "/etc/edgellm/edgellm.json";
    private const string SystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Runs each command but the last, then execs the last: <c>UMASK COMMAND -- COMMAND -- … COMMAND</c>.</summary>
    private const string Script = """
        set -euo pipefail
        umask "$1"
        shift
        command=()
        for argument in "$@"; do
          if [[ $argument == -- ]]; then
            "${command[@]}"
            command=()
          else
            command+=("$argument")
          fi
        done
        exec "${command[@]}"
        """;

    private readonly string _root;
    private readonly string _settingsCopy;

    private InstalledService(string root, string settingsCopy, IReadOnlyList<KeyValuePair<string, string>> service)
    {
        _root = root;
        _settingsCopy = settingsCopy;
        string Single(string key) => service.Single(e => e.Key == key).Value;

        User = Single("User");
        Group = Single("Group");
        UMask = Single("UMask");
        ExecStartPre = [.. service.Where(e => e.Key == "ExecStartPre").Select(e => Command(e.Value))];
        ExecStart = Command(Single("ExecStart"));
        var environment = service.Where(e => e.Key == "Environment").Select(e => e.Value.Split('=', 2)).ToDictionary(p => p[0], p => Remap(p[1]));
        environment["EDGELLM_FACTORY_RELEASE"] = _root + "/opt/edgellm";
        Environment = environment;
    }

    public string User { get; }

    public string Group { get; }

    public string UMask { get; }

    public IReadOnlyList<IReadOnlyList<string>> ExecStartPre { get; }

    public IReadOnlyList<string> ExecStart { get; }

    /// <summary>The unit's Environment= lines, remapped, and the launcher's factory release in the root.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Reads <c>etc/systemd/system/edgellm.service</c> of <paramref name="root"/>; its settings file becomes <paramref name="settingsCopy"/>.</summary>
    public static InstalledService Read(string root, string settingsCopy)
    {
        var section = "";
        var service = new List<KeyValuePair<string, string>>();
        foreach (var line in File.ReadAllLines(Path.Combine(root, "etc", "systemd", "system", "edgellm.service")).Select(l => l.Trim()))
        {
            if (line.StartsWith('['))
            {
                section = line;
            }
            else if (section == "[Service]" && line.Length > 0 && !line.StartsWith('#') && line.Split('=', 2) is [var key, var value])
            {
                service.Add(new(key, value));
            }
        }

        return new InstalledService(root, settingsCopy, service);
    }

    /// <summary>The process to start: the unit's commands as <paramref name="user"/>, with what systemd would give them.</summary>
    public ProcessStartInfo StartInfo((int Uid, int Gid) user, string credentialsDirectory, string home, string temporary)
    {
        string[] asUser =
        [
            "setpriv", $"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all",
        ];
        var commands = ExecStartPre.Append(ExecStart).Select(command => asUser.Concat(command));
        var (program, arguments) = PrivateOpt.Wrap("bash", ["-c", Script, "edgellm.service", UMask, .. commands.SelectMany((command, i) => i == 0 ? command : command.Prepend("--"))]);
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment.Clear();
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["PATH"] = SystemPath;
        info.Environment["HOME"] = home;
        info.Environment["TMPDIR"] = temporary;
        info.Environment["USER"] = User;
        info.Environment["LOGNAME"] = User;
        info.Environment["CREDENTIALS_DIRECTORY"] = credentialsDirectory;
        return info;
    }

    /// <summary>The numeric ids of User= and Group= in the root's own user and group files.</summary>
    public (int Uid, int Gid) Ids() =>
        (Id(Path.Combine(_root, "etc", "passwd"), User), Id(Path.Combine(_root, "etc", "group"), Group));

    private static int Id(string file, string name) =>
        int.Parse(File.ReadAllLines(file).Select(l => l.Split(':')).Single(f => f[0] == name)[2], CultureInfo.InvariantCulture);

    /// <summary>An Exec line's words (the unit's have no quotes, prefixes or variables; anything else is refused here).</summary>
    private List<string> Command(string line)
    {
        if (line.IndexOfAny(['"', '\'', '$', '\\']) >= 0 || line[0] is '-' or '+' or '!' or '@' or ':')
        {
            throw new InvalidDataException($"This test cannot run the unit's line '{line}' as systemd would.");
        }

        return [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Remap)];
    }

    private string Remap(string value)
    {
        if (value.Contains('%', StringComparison.Ordinal))
        {
            var expanded = value.Replace("%S", "/var/lib", StringComparison.Ordinal).Replace("%L", "/var/log", StringComparison.Ordinal);
            if (expanded.Contains('%', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"This test knows the specifiers %S and %L only, not those in '{value}'.");
            }

            value = expanded;
        }

        return value == SettingsFile ? _settingsCopy : ScratchRootSettings.IsAppliancePath(value) ? _root + value : value;
    }
}
