using EdgeLlm.Daemon.Hosting;

namespace EdgeLlm.Daemon.Tests.Settings;

/// <summary>A scratch folder with a settings file in it, and the arguments that point <c>serve</c> at it.</summary>
internal sealed class SettingsScratch : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("edgellm-settings-").FullName;

    public string ConfigFile => Path.Combine(Directory, "edgellm.json");

    public string File(string name) => Path.Combine(Directory, name);

    public ServeArguments Arguments(string json, params string[] settings)
    {
        System.IO.File.WriteAllText(ConfigFile, json);
        return new ServeArguments(Directory, null, null, ConfigFile, settings);
    }

    public string Secret(string name, UnixFileMode mode, string content = "s3cret\n")
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
