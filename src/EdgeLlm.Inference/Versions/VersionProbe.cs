using System.Diagnostics;
using System.Reflection;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Versions;

/// <summary>
/// Runs <c>edgellm probe</c> on a model file in a child process (see <see cref="ProbeCommandLine"/>), so a model that
/// crashes native code takes down only the child. The child exits 0 when it generated, 1 when it could not, 3 past its timeout.
/// </summary>
public sealed class VersionProbe(IOptions<InferenceOptions> inference, IOptions<VersionProbeOptions> options)
{
    /// <summary>Tokens a probe and a load's health check generate before a version takes requests.</summary>
    public const int HealthCheckTokens = 4;

    private const int KeptOutputChars = 2000;

    /// <summary>Runs this daemon's own <c>edgellm probe</c> on <paramref name="version"/>, with the settings it will be served with.</summary>
    internal Task<VersionProbeFailure?> RunAsync(ModelOptions version, CancellationToken cancellationToken) =>
        RunAsync([.. ThisDaemon()], version.Path, EffectiveModelSettings.Resolve(version, inference.Value), cancellationToken);

    /// <summary>Runs <paramref name="command"/> (an <c>edgellm</c> executable, e.g. a new release's) as the probe of <paramref name="modelPath"/> served with <paramref name="settings"/>.</summary>
    public async Task<VersionProbeFailure?> RunAsync(IReadOnlyList<string> command, string modelPath, EffectiveModelSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var timeout = options.Value.Timeout;
        var start = new ProcessStartInfo { FileName = command[0], RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Remove(SchedulerFaults.Variable);
        if (options.Value.ChildFaultPoint is { } fault)
        {
            start.Environment[SchedulerFaults.Variable] = fault;
        }

        foreach (var argument in command.Skip(1).Concat(ProbeCommandLine.Arguments(modelPath, settings, inference.Value, HealthCheckTokens, timeout)))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("The probe process did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new VersionProbeFailure("probe_crashed", "The probe could not be started: " + ex.Message);
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

            return new VersionProbeFailure("probe_timeout", $"The probe did not finish within {timeout.TotalSeconds:F0} s.");
        }

        var said = Tail((await errors) + (await output));
        return process.ExitCode switch
        {
            0 => null,
            1 => new VersionProbeFailure("probe_failed", "The model did not load or did not generate: " + said),
            3 => new VersionProbeFailure("probe_timeout", $"The probe did not finish within {timeout.TotalSeconds:F0} s."),
            _ => new VersionProbeFailure("probe_crashed", $"The probe process ended with exit code {process.ExitCode}: " + said),
        };
    }

    /// <summary>This daemon's own command: the apphost, or <c>dotnet edgellm.dll</c>.</summary>
    private static IEnumerable<string> ThisDaemon()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The daemon's executable path is unknown.");
        yield return host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            yield return Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("The daemon's assembly path is unknown.");
        }
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= KeptOutputChars ? trimmed : trimmed[^KeptOutputChars..];
    }
}
