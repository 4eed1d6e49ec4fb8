using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Daemon.Cli;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Tests.Support;
using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Models;
using EdgeLlm.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon.Tests.Hosting;

/// <summary>Writes the daemon's own natives/ folder (beside the test assembly), so nothing else may run beside it.</summary>
[CollectionDefinition(nameof(DefaultNativesFolder), DisableParallelization = true)]
public sealed class DefaultNativesFolder;

/// <summary>
/// The daemon as <c>edgellm serve</c> composes it, with a natives/ folder beside it that fails its checks (built for
/// another platform): it must still serve, on LLamaSharp's own natives, and say why in its log and in the doctor's report.
/// </summary>
[Collection(nameof(DefaultNativesFolder))]
public sealed class NativesFallbackTests : IDisposable
{
    private readonly string _natives = Path.Combine(AppContext.BaseDirectory, "natives");
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edgellm-natives-fallback-");

    public NativesFallbackTests()
    {
        Directory.CreateDirectory(_natives);
        File.WriteAllText(Path.Combine(_natives, "natives.manifest"), $"""
            format=1
            platform=linux-arm64
            source=llama.cpp b10361 c2fd87ef425381d62715c8cd067b900ab0b4c11c
            patches=llamasharp-0.30-context-params
            abi_sha256={new string('0', 64)}
            file=libllama.so {new string('0', 64)}

            """);
    }

    [Fact]
    public async Task AnInvalidDefaultNativesFolderStillServesOnLLamaSharpsNativesAndTheDoctorSaysWhy()
    {
        var logs = new CapturingLoggerProvider();
        var arguments = new ServeArguments(_data.FullName, TestModels.Stories260K, "http://127.0.0.1:0", null,
            ["--Daemon:LogLevel", "Debug", "--Inference:ContextSize", "256", "--Inference:MaxSequences", "1"]);
        await using var app = DaemonHost.Build(arguments, logging => logging.AddProvider(logs));
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<ModelRegistry>().Ready.WaitAsync(TimeSpan.FromMinutes(2));
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            var key = app.Services.GetRequiredService<ApiKeyStore>().Create("natives", "tenant-a", [ApiScopes.Inference]).Key;
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            using var response = await client.PostAsJsonAsync("/v1/completions", new { model = "stories260K", prompt = "Once upon a time", max_tokens = 4 });

            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(4, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

            var warning = Assert.Single(logs.Entries, e => e.EventId == 3032);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains(_natives, warning.Message, StringComparison.Ordinal);
            Assert.Contains("natives_platform_mismatch", warning.Message, StringComparison.Ordinal);

            var report = DoctorReport.Render(app.Services.GetRequiredService<GgmlBackendRegistry>().Inventory());
            Assert.Contains("natives      LLamaSharp 0.30.0's own (", report, StringComparison.Ordinal);
            Assert.Contains($"{_natives} was refused: natives_platform_mismatch: the natives were built for linux-arm64, this machine is linux-x64.", report, StringComparison.Ordinal);
            Assert.Matches(@"cpu variant  libggml-cpu\.so \(.*runtimes/linux-x64/native/\w+\)", report);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    public void Dispose()
    {
        Directory.Delete(_natives, recursive: true);
        _data.Delete(recursive: true);
    }
}
