using System.Globalization;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Versions;

/// <summary>
/// The one place that turns a model version and the daemon's settings into an <c>edgellm probe</c> command line: the
/// settings the version will be served with (<see cref="EffectiveModelSettings"/>), given to the child as its global
/// ones since it serves that model alone, its role (an embedding model is probed by embedding), and the daemon's backend
/// modules and natives folder.
/// </summary>
internal static class ProbeCommandLine
{
    public static IEnumerable<string> Arguments(string modelPath, EffectiveModelSettings model, InferenceOptions global, int tokens, TimeSpan timeout)
    {
        string[] fixedArguments =
        [
            "probe", "--model", modelPath, "--role", ModelRoles.Name(model.Role), "--tokens", Text(tokens), "--timeout-seconds", Text((int)Math.Ceiling(timeout.TotalSeconds)),
            "--Inference:ContextSize", Text(model.ContextSize),
            "--Inference:Threads", Text(model.Threads),
            "--Inference:MainGpu", Text(global.MainGpu),
            "--Inference:FallbackChatTemplate", model.FallbackChatTemplate,
            "--Inference:MaxModelFileBytes", global.MaxModelFileBytes.ToString(CultureInfo.InvariantCulture),
            "--Inference:CpuFallback", global.CpuFallback.ToString(),
        ];
        var gpuLayers = model.GpuLayers is { } layers ? ["--Inference:GpuLayers", Text(layers)] : Array.Empty<string>();
        var modules = global.BackendModules.SelectMany((module, i) => new[] { $"--Inference:BackendModules:{i}", module });

        // Only an explicit folder is passed on: the implicit default is the child's own natives/ folder, which for a
        // new release's edgellm is that release's.
        var natives = global.NativeDirectory.Length > 0 ? ["--Inference:NativeDirectory", Path.GetFullPath(global.NativeDirectory)] : Array.Empty<string>();
        return fixedArguments.Concat(gpuLayers).Concat(modules).Concat(natives);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
