using System.Globalization;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using LLama.Common;
using LLama.Extensions;
using LLama.Native;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>
/// What the daemon (ModelLoader with default settings) and LLamaSharp (a bare ModelParams) hand llama.cpp for each
/// setting of the parameter table, read from the native structs they build, so the table cannot drift from the code.
/// Needs the natives loaded: the conversion starts from llama.cpp's own defaults.
/// </summary>
internal static class PassedParameters
{
    public static IReadOnlyDictionary<Parameter, (string Daemon, string LLamaSharp)> Read(string modelPath)
    {
        var defaults = new InferenceOptions();
        var daemon = Describe(ModelLoader.CreateParameters(modelPath, defaults, EffectiveModelSettings.Resolve(new ModelOptions(), defaults)));
        var llamaSharp = Describe(new ModelParams(modelPath));
        return daemon.ToDictionary(entry => entry.Key, entry => (entry.Value, llamaSharp[entry.Key]));
    }

    private static Dictionary<Parameter, string> Describe(ModelParams parameters)
    {
        parameters.ToLlamaContextParams(out var context);
        using var pins = parameters.ToLlamaModelParams(out var model);
        return new Dictionary<Parameter, string>
        {
            [Parameter.Threads] = $"threads {Invariant(context.n_threads)}, batch threads {Invariant(context.n_threads_batch)}",
            [Parameter.MicroBatch] = $"n_batch {context.n_batch}, n_ubatch {context.n_ubatch}",
            [Parameter.FlashAttention] = Name(context.llama_flash_attn_type.ToString(), "LLAMA_FLASH_ATTENTION_TYPE_"),
            [Parameter.KvType] = $"K {Name(context.type_k.ToString(), "GGML_TYPE_")}, V {Name(context.type_v.ToString(), "GGML_TYPE_")}",
            [Parameter.Load] = Name(model.load_mode.ToString(), "LLAMA_LOAD_MODE_"),
        };
    }

    private static string Name(string enumName, string prefix) =>
        (enumName.StartsWith(prefix, StringComparison.Ordinal) ? enumName[prefix.Length..] : enumName).ToLowerInvariant();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
