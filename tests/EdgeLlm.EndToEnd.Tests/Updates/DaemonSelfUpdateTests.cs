using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// The daemon updating itself, in a scratch root laid out as provisioning lays out a device: the provisioned daemon
/// in <c>opt/edgellm</c>, signed releases installed beside it under <c>var/lib/edgellm/releases</c>, and each start
/// done as edgellm.service does it (<c>systemd/edgellm-release guard</c>, then <c>edgellm-release run serve</c>).
/// </summary>
public sealed class DaemonSelfUpdateTests : IAsyncLifetime
{
    private const int MaxStarts = 2;
    private readonly Minisign _minisign = new();
    private string _root = null!;
    private string _data = null!;
    private string _factory = null!;
    private string _adminKey = null!;
    private Process? _daemon;
    private Uri _address = null!;

    private string Releases => Path.Combine(_data, "releases");

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("edgellm-root-").FullName;
        _data = Path.Combine(_root, "var", "lib", "edgellm");
        _factory = Path.Combine(_root, "opt", "edgellm");
        CopyBuild(_factory);
        _minisign.CreateKey("publisher");
        var (_, output) = await EdgeLlmProcess.RunToEndAsync(["keys", "create", "--data-dir", _data, "--name", "ops", "--tenant", "ops", "--scope", "admin"]);
        _adminKey = output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("ellm_", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _minisign.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ASignedReleaseIsProbedSwitchedToByRestartAndConfirmedOnceItServes()
    {
        Assert.Equal(0, await StartAsync());
        var release = Release("2", good: true);

        using var response = await UploadAsync(release);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(75, await ExitAsync());
        Assert.Equal(Path.Combine(Releases, "stable-1"), new FileInfo(Path.Combine(Releases, "current")).LinkTarget);
        Assert.Equal(0, await StartAsync());
        await Poll.Until(() => !Directory.Exists(Path.Combine(Releases, "pending")));
        var daemon = await DaemonItemAsync();
        Assert.Equal("stable-1", daemon.GetProperty("active").GetProperty("version").GetString());
        Assert.True(daemon.GetProperty("confirmed").GetBoolean());
        Assert.Equal("build 2\n", File.ReadAllText(Path.Combine(Releases, "stable-1", "BUILD-INFO")));
        Assert.Equal(_factory, daemon.GetProperty("previous").GetProperty("path").GetString());
    }

    [Fact]
    public async Task AReleaseThatNeverComesUpIsUndoneByTheServiceGuardAndReported()
    {
        Assert.Equal(0, await StartAsync());
        using var response = await UploadAsync(Release("3", good: false));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(75, await ExitAsync());

        for (var start = 1; start <= MaxStarts; start++)
        {
            Assert.Equal(1, await StartAsync(waitUntilReady: false));
            Assert.Equal(1, await ExitAsync());
        }

        Assert.Equal(0, await StartAsync());

        Assert.Equal(_factory, new FileInfo(Path.Combine(Releases, "current")).LinkTarget);
        await Poll.Until(() => !File.Exists(Path.Combine(Releases, "rolled-back")));
        using var admin = Admin();
        var status = JsonDocument.Parse(await admin.GetStringAsync(new Uri("admin/updates", UriKind.Relative))).RootElement;
        Assert.Equal("release_rolled_back", status.GetProperty("last_error").GetProperty("code").GetString());
        Assert.Equal("provisioned", (await DaemonItemAsync()).GetProperty("active").GetProperty("version").GetString());
    }

    [Fact]
    public async Task AReleaseThatFailsItsProbeIsNeverSwitchedTo()
    {
        Assert.Equal(0, await StartAsync());

        using var response = await UploadAsync(Release("4", good: false, probes: false));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("probe_failed", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(_factory, new FileInfo(Path.Combine(Releases, "current")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(Releases, "stable-1")));
        Assert.False(Directory.Exists(Path.Combine(Releases, "pending")));
        Assert.False(_daemon!.HasExited);
    }

    /// <summary>A second build of the daemon as a signed bundle; a bad one passes its probe (or not) but cannot serve.</summary>
    private string Release(string build, bool good, bool probes = true)
    {
        var folder = Path.Combine(_minisign.Folder, $"build-{build}");
        CopyBuild(folder);
        File.WriteAllText(Path.Combine(folder, "BUILD-INFO"), $"build {build}\n");
        if (!good)
        {
            var probe = probes ? "[ \"$1\" = probe ] && exec dotnet \"$(dirname \"$0\")/edgellm.dll\" \"$@\"\n" : "";
            File.WriteAllText(Path.Combine(folder, "edgellm"), "#!/bin/sh\n" + probe + "echo 'this build cannot start' >&2\nexit 1\n");
        }

        var tar = Path.Combine(_minisign.Folder, $"edgellm-{build}.tar");
        using (var stream = File.Create(tar))
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                writer.WriteEntry(file, Path.GetRelativePath(folder, file));
            }
        }

        var bundle = Path.Combine(_minisign.Folder, $"bundle-{build}");
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        BundleWriter.WriteAsync(new BundleDescription("edgellm", "stable", 1, now, now.AddDays(1), "default"), [tar], bundle, CancellationToken.None).GetAwaiter().GetResult();
        _minisign.Sign("publisher", Path.Combine(bundle, "manifest.json"), $"edgellm build {build}");
        return UpdatingDaemon.Tar(bundle);
    }

    /// <summary>One start as edgellm.service does it: the guard, then the current release. Returns its exit code once ready (0) or ended.</summary>
    private async Task<int> StartAsync(bool waitUntilReady = true)
    {
        await StopAsync();
        var guard = await Command.RunAsync("bash", [Guard, "guard"], Environment());
        Assert.True(guard.ExitCode == 0, guard.ToString());
        _address = new Uri($"http://127.0.0.1:{MosquittoBroker.FreeLoopbackPort()}/");
        var info = new ProcessStartInfo("bash", [Guard, "run", "serve", "--data-dir", _data, "--model", TestModels.Stories260K, "--urls", _address.ToString().TrimEnd('/'),
            "--Updates:TrustedKeysDirectory", _minisign.Folder, "--Updates:ProbeTimeout", "00:02:00"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in Environment())
        {
            info.Environment[name] = value;
        }

        _daemon = Process.Start(info)!;
        _daemon.OutputDataReceived += (_, _) => { };
        _daemon.ErrorDataReceived += (_, _) => { };
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();
        if (!waitUntilReady)
        {
            return 1;
        }

        using var http = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (_daemon.HasExited)
            {
                return _daemon.ExitCode;
            }

            try
            {
                if ((await http.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return 0;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The daemon did not get ready.");
    }

    private async Task<int> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _daemon!.WaitForExitAsync(timeout.Token);
        return _daemon.ExitCode;
    }

    private async Task StopAsync()
    {
        if (_daemon is { HasExited: false })
        {
            _daemon.Kill(entireProcessTree: true);
            await _daemon.WaitForExitAsync();
        }

        _daemon?.Dispose();
        _daemon = null;
    }

    private async Task<HttpResponseMessage> UploadAsync(string tar)
    {
        using var admin = Admin();
        using var content = new StreamContent(File.OpenRead(tar));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return await admin.PostAsync(new Uri("admin/updates", UriKind.Relative), content);
    }

    private async Task<JsonElement> DaemonItemAsync()
    {
        using var admin = Admin();
        var status = JsonDocument.Parse(await admin.GetStringAsync(new Uri("admin/updates", UriKind.Relative))).RootElement;
        return status.GetProperty("installed").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "daemon").Clone();
    }

    private HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminKey);
        return client;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["EDGELLM_RELEASES"] = Releases,
        ["EDGELLM_FACTORY_RELEASE"] = _factory,
        ["EDGELLM_MAX_RELEASE_STARTS"] = MaxStarts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Guard => Path.Combine(TestModels.RepositoryRoot, "systemd", "edgellm-release");

    /// <summary>The daemon as built here, with the natives of this platform only (as the Linux images carry it).</summary>
    private static void CopyBuild(string target)
    {
        var build = Path.GetDirectoryName(EdgeLlmProcess.DaemonPath)!;
        foreach (var file in Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(build, file);
            if (relative.StartsWith("runtimes/", StringComparison.Ordinal) && !relative.StartsWith("runtimes/linux-x64/", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(target, relative), File.GetUnixFileMode(file));
            }
        }
    }
}
