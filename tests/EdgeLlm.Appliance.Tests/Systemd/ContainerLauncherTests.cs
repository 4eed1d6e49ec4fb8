using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Systemd;

/// <summary>
/// systemd/edgellm-container hands the unit's systemd credentials to the daemon in the container: systemd's
/// copy belongs to root, the container runs as the host's edgellm uid, so the launcher copies them for that uid
/// into the unit's runtime directory and mounts the copy read-only where CREDENTIALS_DIRECTORY points inside.
/// The container runtime is a stand-in on PATH that records how it was called (the seam is the process).
/// </summary>
public sealed class ContainerLauncherTests : IDisposable
{
    private const string Uid = "4242";
    private const string Gid = "4343";
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-launcher-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task TheCredentialsReachTheContainerReadOnlyAsCopiesOnlyTheDaemonsUserCanRead()
    {
        var credentials = Directory.CreateDirectory(Path.Combine(_scratch, "credentials")).FullName;
        await File.WriteAllTextAsync(Path.Combine(credentials, "mqtt-password"), "broker-secret\n");
        await File.WriteAllTextAsync(Path.Combine(credentials, "api-tls-key"), "-----BEGIN PRIVATE KEY-----\n");
        foreach (var file in Directory.GetFiles(credentials))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead);
        }

        var result = await LaunchAsync(new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = credentials });

        Assert.True(result.ExitCode == 0, result.ToString());
        var staged = Path.Combine(_scratch, "run", "credentials");
        var arguments = await File.ReadAllLinesAsync(Path.Combine(_scratch, "podman-arguments"));
        Assert.Contains($"{staged}:/run/credentials/edgellm:ro", Following(arguments, "--volume"));
        Assert.Contains("CREDENTIALS_DIRECTORY=/run/credentials/edgellm", Following(arguments, "--env"));
        Assert.Equal($"500 {Uid}:{Gid}", await StatAsync(staged));
        foreach (var name in new[] { "mqtt-password", "api-tls-key" })
        {
            Assert.Equal($"400 {Uid}:{Gid}", await StatAsync(Path.Combine(staged, name)));
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(credentials, name)), await File.ReadAllTextAsync(Path.Combine(staged, name)));
        }
    }

    [Fact]
    public async Task WithoutCredentialsNothingIsMountedForThem()
    {
        var result = await LaunchAsync(new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.ToString());
        var arguments = await File.ReadAllLinesAsync(Path.Combine(_scratch, "podman-arguments"));
        Assert.DoesNotContain(arguments, a => a.Contains("CREDENTIALS_DIRECTORY", StringComparison.Ordinal));
        Assert.DoesNotContain(arguments, a => a.Contains("/run/credentials", StringComparison.Ordinal));
    }

    private async Task<CommandResult> LaunchAsync(Dictionary<string, string> environment)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        var podman = Path.Combine(bin, "podman");
        await File.WriteAllTextAsync(podman, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{_scratch}/podman-arguments'\n");
        File.SetUnixFileMode(podman, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var run = Directory.CreateDirectory(Path.Combine(_scratch, "run")).FullName;
        environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        environment["RUNTIME_DIRECTORY"] = run;
        environment["EDGELLM_CONTAINER_RUNTIME"] = "podman";
        environment["EDGELLM_IMAGE"] = "edgellm:9.8.7-cpu";
        environment["EDGELLM_GPU"] = "none";
        environment["EDGELLM_UID"] = Uid;
        environment["EDGELLM_GID"] = Gid;
        return await Command.RunAsync(ApplianceFixture.Script("systemd", "edgellm-container"), [], environment);
    }

    /// <summary>The value after each occurrence of an option.</summary>
    private static IEnumerable<string> Following(string[] arguments, string option) =>
        arguments.Zip(arguments.Skip(1)).Where(pair => pair.First == option).Select(pair => pair.Second);

    private static async Task<string> StatAsync(string path) => (await Command.RunToolAsync("stat", "-c", "%a %u:%g", path)).Trim();
}
