using System.CommandLine;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Updates.Install;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm probe --model PATH</c>: load a model and generate a few tokens (an embedding model, <c>--role embedding</c>:
/// embed a short text), in a process of its own, so an update can try a new model without risking the daemon: a model that
/// crashes native code takes only the probe down. Exit 0 when it answered, 1 when it could not, 3 when it ran past the timeout.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The GGUF file to try.", Required = true };
        var tokens = new Option<int>("--tokens") { Description = "Tokens to generate.", DefaultValueFactory = _ => 8 };
        var timeout = new Option<int>("--timeout-seconds") { Description = "Give up after this long (exit 3).", DefaultValueFactory = _ => 120 };
        var role = new Option<string>("--role") { Description = "The model's role: chat or guard (generates), embedding (embeds a text instead).", DefaultValueFactory = _ => "chat" };
        var command = new Command("probe", "Load a model and generate a few tokens (used by updates before activating a model). Any '--Section:Key value' pair sets that setting.")
        {
            model, tokens, timeout, role,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(model)!, parse.GetValue(role)!, parse.GetValue(tokens), TimeSpan.FromSeconds(parse.GetValue(timeout)), [.. parse.UnmatchedTokens], cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string path, string role, int tokens, TimeSpan timeout, string[] settings, CancellationToken cancellationToken)
    {
        if (tokens is < 1 or > 256 || timeout <= TimeSpan.Zero || !ModelRoles.TryParse(role, out _))
        {
            await Console.Error.WriteLineAsync($"edgellm probe: --tokens takes 1-256, --timeout-seconds a positive number and --role one of {string.Join(", ", ModelRoles.SettingNames)}.");
            return 2;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var builder = Host.CreateApplicationBuilder(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddEdgeLlmInference(o =>
        {
            o.Models = [new ModelOptions { Path = Path.GetFullPath(path), Role = role }];
            o.MaxSequences = 1;
        });
        using var host = builder.Build();
        try
        {
            await host.StartAsync(deadline.Token);
            var registry = host.Services.GetRequiredService<ModelRegistry>();
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            await Task.WhenAny(registry.Ready, Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping)).WaitAsync(deadline.Token);
            if (!registry.IsReady)
            {
                await Console.Error.WriteLineAsync("edgellm probe: the model could not be loaded or failed its start-up probe.");
                return 1;
            }

            FaultPoints.Abort(FaultPoints.ProbeAbort);
            if (registry.Models[0].Settings.Role == ModelRole.Embedding)
            {
                return await EmbedAsync(registry.Models[0], deadline.Token);
            }

            var generated = await GenerateAsync(registry.Models[0], tokens, deadline.Token);
            Console.WriteLine($"probe {(generated > 0 ? "ok" : "failed")}: {registry.Models[0].Name} generated {generated} token(s)");
            return generated > 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"edgellm probe: no answer within {timeout.TotalSeconds:F0} s.");
            return 3;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Embeds "Hello" once more (loading already checked one embedding): exit 0 with a vector of the model's hidden size, else 1.
    /// </summary>
    private static async Task<int> EmbedAsync(LoadedModel model, CancellationToken cancellationToken)
    {
        var vector = model.Scheduler.TryEmbed(model.Tokenizer.Tokenize("Hello", parseSpecial: false), cancellationToken) is { } task ? await task : [];
        var embedded = vector.Length == model.EmbeddingSize && vector.All(float.IsFinite);
        Console.WriteLine($"probe {(embedded ? "ok" : "failed")}: {model.Name} embedded a text into {vector.Length} value(s)");
        return embedded ? 0 : 1;
    }

    /// <summary>Tokens generated greedily after "Hello"; 0 when the generation did not finish normally.</summary>
    private static async Task<int> GenerateAsync(LoadedModel model, int tokens, CancellationToken cancellationToken)
    {
        var request = new GenerationRequest(model.Tokenizer.Tokenize("Hello", parseSpecial: false), SamplingParameters.Greedy, tokens, []);
        if (model.Scheduler.TrySubmit(request, cancellationToken) is not AdmissionResult.Admitted admitted)
        {
            return 0;
        }

        using var stream = admitted.Stream;
        var generated = 0;
        await foreach (var item in stream.ReadAllAsync(cancellationToken))
        {
            if (item is GenerationFinished { Reason: FinishReason.Stop or FinishReason.Length } finished)
            {
                generated = finished.Usage.CompletionTokens;
            }
        }

        return generated;
    }
}
