using System.Security.Cryptography;
using System.Text;
using EdgeLlm.Appliance.Tests.Images;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// What the appliance tests share, made once because a publish takes a minute: the image's filesystem as
/// scripts/image-steps.sh lays it out from a build context copied the way .dockerignore allows, with a stand-in
/// natives folder as scripts/build-natives.sh --tools leaves one (<see cref="FakeNatives"/>), then a native
/// appliance provisioned twice into a scratch root from that publish (the output of each run kept, and the
/// root's files listed in between), and a container-mode appliance provisioned once, without --site. No
/// provisioning sees this host's /opt/edgellm (<see cref="ProvisionAsync"/>), so the scratch root's releases/current
/// link, which points at /opt/edgellm as the appliance sees it, dangles on the second run whatever this host has.
/// </summary>
public sealed class ApplianceFixture : IAsyncLifetime
{
    public const string Version = "9.8.7";
    public const string Revision = "0123456789abcdef0123456789abcdef01234567";
    public const string MachineId = "5f0c3c2b9a7e4f1d8c6b5a4e3d2c1b0a";

    private readonly Minisign _minisign = new();

    public string Scratch { get; } = Directory.CreateTempSubdirectory("edgellm-appliance-").FullName;

    public string Rootfs => Path.Combine(Scratch, "rootfs");

    public string NativeRoot => Path.Combine(Scratch, "native");

    public string ContainerRoot => Path.Combine(Scratch, "container");

    /// <summary>The natives folder the image steps were given, tools and all.</summary>
    public string BuiltNatives => Path.Combine(Scratch, "built-natives");

    public string PublisherKey { get; private set; } = string.Empty;

    internal CommandResult ImageSteps { get; private set; } = null!;

    internal CommandResult FirstProvisioning { get; private set; } = null!;

    internal CommandResult SecondProvisioning { get; private set; } = null!;

    internal CommandResult ContainerProvisioning { get; private set; } = null!;

    /// <summary>Every path of the native root with its type, mode and owner, and a hash of each file in etc/ and usr/.</summary>
    public string NativeRootAfterFirstRun { get; private set; } = string.Empty;

    public string NativeRootAfterSecondRun { get; private set; } = string.Empty;

    /// <summary>Whether releases/current was a link that led nowhere when the second run began, as provisioning saw it.</summary>
    public bool ReleasesLinkDangledBeforeSecondRun { get; private set; }

    public static string Script(params string[] path) => Path.Combine([TestModels.RepositoryRoot, .. path]);

    public async Task InitializeAsync()
    {
        var context = Path.Combine(Scratch, "context");
        await CopyBuildContextAsync(context);
        FakeNatives.Create(BuiltNatives);
        ImageSteps = await Command.RunAsync(
            Path.Combine(context, "scripts", "image-steps.sh"),
            ["--rid", "linux-x64", "--rootfs", Rootfs, "--version", Version, "--revision", Revision, "--natives", BuiltNatives,
             "--backend-module", "/opt/edgellm/lib/libggml-cuda.so"],
            timeout: TimeSpan.FromMinutes(10));
        Directory.Delete(context, recursive: true);
        if (ImageSteps.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/image-steps.sh failed: {ImageSteps}");
        }

        PublisherKey = _minisign.CreateKey("publisher");
        var password = _minisign.WriteFile("mqtt-password", "broker-secret\n");
        Directory.CreateDirectory(Path.Combine(NativeRoot, "etc"));
        await File.WriteAllTextAsync(Path.Combine(NativeRoot, "etc", "machine-id"), MachineId + "\n");
        string[] native =
        [
            "--prefix", NativeRoot, "--payload", Path.Combine(Rootfs, "opt", "edgellm"),
            "--model", "stories=/var/lib/edgellm/local/stories.gguf",
            "--trusted-key", PublisherKey, "--site", "plant-7", "--mqtt-broker", "mqtts://broker.plant-7.lan:8883",
            "--mqtt-username", "device-7", "--mqtt-password-file", password,
        ];
        FirstProvisioning = await ProvisionAsync(native);
        NativeRootAfterFirstRun = await ListAsync(NativeRoot);
        var link = Path.Combine(NativeRoot, "var", "lib", "edgellm", "releases", "current");
        ReleasesLinkDangledBeforeSecondRun = (await InPrivateOptAsync("bash", "-c", "[[ -L $1 && ! -e $1 ]]", "dangles", link)).ExitCode == 0;
        SecondProvisioning = await ProvisionAsync(native);
        NativeRootAfterSecondRun = await ListAsync(NativeRoot);
        ContainerProvisioning = await ProvisionAsync(
            "--prefix", ContainerRoot, "--mode", "container", "--image", "edgellm:9.8.7-cuda", "--runtime", "podman", "--gpu", "cdi",
            "--trusted-key", PublisherKey);
    }

    public Task DisposeAsync()
    {
        _minisign.Dispose();
        Directory.Delete(Scratch, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>provision.sh where this host's /opt/edgellm, if it has one, is out of sight (<see cref="PrivateOpt"/>).</summary>
    internal static Task<CommandResult> ProvisionAsync(params string[] arguments) =>
        InPrivateOptAsync(Script("provisioning", "provision.sh"), arguments);

    private static Task<CommandResult> InPrivateOptAsync(string program, params string[] arguments)
    {
        var (wrapper, wrapped) = PrivateOpt.Wrap(program, arguments);
        return Command.RunAsync(wrapper, wrapped, timeout: TimeSpan.FromMinutes(2));
    }

    /// <summary>The device id provisioning derives from a machine id: a hash, never the machine id itself.</summary>
    public static string DeviceIdFor(string machineId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("edgellm-device:" + machineId)));
        return $"{hash[..8]}-{hash[8..12]}-{hash[12..16]}-{hash[16..20]}-{hash[20..32]}";
    }

    /// <summary>The repository files .dockerignore lets into a build context (bin/ and obj/ left out), as Docker would send them.</summary>
    private static async Task CopyBuildContextAsync(string context)
    {
        var ignore = DockerIgnore.Parse(await File.ReadAllTextAsync(Script(".dockerignore")));
        var roots = ignore.IncludedRoots.Where(root => Path.Exists(Script(root))).ToArray();
        Directory.CreateDirectory(context);
        await Command.RunToolAsync("bash",
            ["-c", "tar -C \"$1\" --exclude=bin --exclude=obj -cf - \"${@:3}\" | tar -C \"$2\" -xf -", "copy", TestModels.RepositoryRoot, context, .. roots]);
    }

    internal static async Task<string> ListAsync(string root) =>
        await Command.RunToolAsync("bash", "-c",
            "cd \"$1\" && find . -printf '%y %m %U:%G %p\\n' | sort && find etc usr -type f -print0 | sort -z | xargs -0 sha256sum", "list", root);
}

[CollectionDefinition(Name)]
public sealed class ApplianceCollection : ICollectionFixture<ApplianceFixture>
{
    public const string Name = "appliance";
}
