using System.Globalization;
using System.Text;
using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Backends.Natives;

namespace EdgeLlm.Daemon.Cli;

/// <summary>The text form of <c>edgellm doctor</c>: aligned, one device or module per line, missing libraries indented under their module.</summary>
internal static class DoctorReport
{
    public static string Render(BackendInventory inventory)
    {
        var text = new StringBuilder();
        Natives(text, inventory.Natives, inventory.CpuVariant);
        Line(text, $"ggml         {inventory.GgmlVersion} (llama.cpp commit {inventory.GgmlCommit})");
        Line(text, $"cpu features {(inventory.CpuFeatures.Count == 0 ? "none reported" : string.Join(' ', inventory.CpuFeatures.Select(Feature)))}");
        Line(text, "backends");
        foreach (var backend in inventory.Backends)
        {
            Line(text, $"  {backend.Name,-10} {backend.Devices.Count} device(s)");
            foreach (var device in backend.Devices)
            {
                Line(text, $"    {device.Name,-10} {Kind(device.Type),-5} {Memory(device)}  {device.Description}");
            }
        }

        Line(text, inventory.Modules.Count == 0 ? "modules      none configured (Inference:BackendModules)" : "modules");
        foreach (var module in inventory.Modules)
        {
            Line(text, module.Loaded ? $"  ok     {module.Path}: {module.Message}" : $"  FAILED {module.Path}: {module.ErrorCode}: {module.Message}");
            foreach (var dependency in module.Dependencies)
            {
                Line(text, $"           {dependency}");
            }
        }

        var gpus = inventory.GpuDevices.Count();
        Line(text, $"gpu offload  {(inventory.GpuOffload ? $"yes ({gpus} GPU device(s); layers go to {inventory.GpuDevices.First().Name} unless Inference:MainGpu says otherwise)" : "no (CPU only)")}");
        return text.ToString();
    }

    /// <summary>The report when the configured natives folder cannot be used: nothing else was loaded.</summary>
    public static string RenderRefused(NativeSelection natives)
    {
        var text = new StringBuilder();
        Line(text, $"natives      FAILED {natives.ErrorCode}: {natives.Message}");
        return text.ToString();
    }

    private static void Natives(StringBuilder text, NativesInUse natives, CpuVariantReport cpu)
    {
        if (natives.Origin == NativesOrigin.Built)
        {
            Line(text, $"natives      built for this machine, in {natives.Folder}: {natives.Source}, patches {natives.Patches}");
            Line(text, $"  abi        checked against LLamaSharp {natives.LLamaSharpVersion}: {natives.AllowedDifferences.Count} allowed difference(s)");
        }
        else
        {
            Line(text, $"natives      LLamaSharp {natives.LLamaSharpVersion}'s own ({natives.Folder}): {natives.Reason}");
        }

        var variant = cpu.InUse is null ? "none loaded" : $"{Path.GetFileName(cpu.InUse)} ({Path.GetDirectoryName(cpu.InUse)})";
        Line(text, $"cpu variant  {variant}: {cpu.ChosenBy}");
        foreach (var score in cpu.Scores)
        {
            var note = score.Score switch
            {
                0 => "  (this CPU lacks a feature it needs)",
                < 0 => "  (could not be asked)",
                _ => "",
            };
            Line(text, $"  score      {score.Variant,-16} {score.Score}{note}");
        }
    }

    private static string Feature(KeyValuePair<string, string> feature) => feature.Value == "1" ? feature.Key : $"{feature.Key}={feature.Value}";

    private static string Kind(DeviceType type) => type switch
    {
        DeviceType.Cpu => "cpu",
        DeviceType.Gpu => "gpu",
        DeviceType.IntegratedGpu => "igpu",
        _ => "accel",
    };

    private static string Memory(DeviceInfo device) => device.TotalBytes == 0
        ? "memory not reported"
        : string.Create(CultureInfo.InvariantCulture, $"{Gib(device.FreeBytes)} GiB free of {Gib(device.TotalBytes)} GiB");

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
