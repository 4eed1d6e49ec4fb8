using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Runs <c>edgellm probe</c> on the model in a child process, with the settings it will be served with (its context,
/// threads, GPU layers and chat template, given to the child as the child's global ones since it serves that model
/// alone) and the daemon's backend modules and natives folder, so a model that crashes native code takes down only the child.
/// </summary>
internal sealed class ChildProcessModelProbe(IOptions<UpdatesOptions> updates, IOptions<InferenceOptions> inference) : IModelProbe
{
    private const int KeptOutputChars = 2000;

    public Task<ProbeFailure?> ProbeAsync(string modelPath, EffectiveModelSettings settings, CancellationToken cancellationToken) =>
        RunAsync(Command(), modelPath, settings, cancellationToken);

    public Task<ProbeFailure?> ProbeReleaseAsync(string releaseDirectory, string modelPath, EffectiveModelSettings settings, CancellationToken cancellationToken) =>
        RunAsync([Path.Combine(releaseDirectory, "edgellm")], modelPath, settings, cancellationToken);

    private async Task<ProbeFailure?> RunAsync(IEnumerable<string> command, string modelPath, EffectiveModelSettings model, CancellationToken cancellationToken)
    {
        var timeout = updates.Value.ProbeTimeout;
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Remove(SchedulerFaults.Variable);
        if (FaultPoints.ForProbeChild is { } fault)
        {
            start.Environment[SchedulerFaults.Variable] = fault;
        }

        foreach (var argument in command.Concat(Arguments(modelPath, model, timeout)))
        {
            start.ArgumentList.Add(argument);
        }

        start.FileName = start.ArgumentList[0];
        start.ArgumentList.RemoveAt(0);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("The probe process did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new ProbeFailure("probe_crashed", "The probe could not be started: " + ex.Message);
        }

        using var started = process;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The child enforces the timeout itself; this is the backstop for one that hangs in native code.
        deadline.CancelAfter(timeout + TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return new ProbeFailure("probe_timeout", $"The probe did not finish within {timeout.TotalSeconds:F0} s.");
        }

        var said = Tail((await errors) + (await output));
        return process.ExitCode switch
        {
            0 => null,
            1 => new ProbeFailure("probe_failed", "The model did not load or did not generate: " + said),
            3 => new ProbeFailure("probe_timeout", $"The probe did not finish within {timeout.TotalSeconds:F0} s."),
            _ => new ProbeFailure("probe_crashed", $"The probe process ended with exit code {process.ExitCode}: " + said),
        };
    }

    /// <summary>This daemon's own command: the apphost, or <c>dotnet edgellm.dll</c>.</summary>
    private static IEnumerable<string> Command()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The daemon's executable path is unknown.");
        yield return host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            yield return Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("The daemon's assembly path is unknown.");
        }
    }

    private IEnumerable<string> Arguments(string modelPath, EffectiveModelSettings model, TimeSpan timeout)
    {
        var settings = inference.Value;
        string[] fixedArguments =
        [
            "probe", "--model", modelPath, "--tokens", "4", "--timeout-seconds", ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            "--Inference:ContextSize", model.ContextSize.ToString(CultureInfo.InvariantCulture),
            "--Inference:Threads", model.Threads.ToString(CultureInfo.InvariantCulture),
            "--Inference:MainGpu", settings.MainGpu.ToString(CultureInfo.InvariantCulture),
            "--Inference:FallbackChatTemplate", model.FallbackChatTemplate,
            "--Inference:MaxModelFileBytes", settings.MaxModelFileBytes.ToString(CultureInfo.InvariantCulture),
            "--Inference:CpuFallback", settings.CpuFallback.ToString(),
        ];
        var gpuLayers = model.GpuLayers is { } layers ? ["--Inference:GpuLayers", layers.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>();
        var modules = settings.BackendModules.SelectMany((module, i) => new[] { $"--Inference:BackendModules:{i}", module });

        // Only an explicit folder is passed on: the implicit default is the child's own natives/ folder, which for a
        // new release's edgellm is that release's.
        var natives = settings.NativeDirectory.Length > 0 ? ["--Inference:NativeDirectory", Path.GetFullPath(settings.NativeDirectory)] : Array.Empty<string>();
        return fixedArguments.Concat(gpuLayers).Concat(modules).Concat(natives);
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= KeptOutputChars ? trimmed : trimmed[^KeptOutputChars..];
    }
}
