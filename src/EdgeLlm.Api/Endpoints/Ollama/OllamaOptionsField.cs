using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// Ollama's <c>options</c> object mapped onto the sampling fields of <c>/v1</c>. Each option is one of three kinds:
/// <list type="bullet">
/// <item>mapped: <c>temperature</c>, <c>top_p</c>, <c>top_k</c>, <c>min_p</c>, <c>seed</c> (-1: a random one),
/// <c>num_predict</c> (-1 or -2: up to the context), <c>stop</c>, <c>repeat_penalty</c>, <c>presence_penalty</c>,
/// <c>frequency_penalty</c>; their ranges are checked by the same factory as on <c>/v1</c>;</item>
/// <item>ignored: how the model is loaded and run (<c>num_ctx</c>, <c>num_gpu</c>, <c>num_thread</c> …) is the operator's
/// setting on a shared appliance, not a request's, and so is the context (<c>num_keep</c>); <c>penalize_newline</c> is
/// ignored by Ollama itself;</item>
/// <item>accepted only at the value that leaves sampling as it is (<c>mirostat</c> 0, <c>typical_p</c> 1, <c>tfs_z</c>
/// 1, <c>repeat_last_n</c> 64, the penalty window used here): any other value would be silently not honoured, so it is
/// a 400.</item>
/// </list>
/// Any other key is a 400 naming it, so a misspelt option is never silently dropped.
/// </summary>
internal static class OllamaOptionsField
{
    /// <summary>Load-time and runner settings a request cannot change here.</summary>
    internal static readonly IReadOnlySet<string> Ignored = new HashSet<string>(StringComparer.Ordinal)
    {
        "num_ctx", "num_batch", "num_gpu", "main_gpu", "num_thread", "num_keep", "num_gqa", "low_vram", "use_mmap",
        "use_mlock", "numa", "f16_kv", "vocab_only", "logits_all", "penalize_newline", "mirostat_eta", "mirostat_tau",
    };

    /// <summary>Sampling options not supported here, with the one value that changes nothing.</summary>
    internal static readonly IReadOnlyDictionary<string, double> NeutralOnly = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["mirostat"] = 0,
        ["typical_p"] = 1,
        ["tfs_z"] = 1,
        ["repeat_last_n"] = 64,
    };

    public static (OllamaSamplingFields? Fields, ApiError? Error) Read(JsonElement? options)
    {
        var fields = OllamaSamplingFields.Defaults;
        if (options is not { ValueKind: not JsonValueKind.Null } given)
        {
            return (fields, null);
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            return Fail("options", "options must be an object.");
        }

        foreach (var option in given.EnumerateObject())
        {
            var error = option.Value.ValueKind == JsonValueKind.Null ? null : Apply(fields, option.Name, option.Value);
            if (error is not null)
            {
                return (null, error);
            }
        }

        return (fields, null);
    }

    /// <summary>A 400 from the sampling factory names the field as <c>/v1</c> does; here it is named inside <c>options</c>.</summary>
    public static ApiError InOptions(ApiError error) =>
        error.Param is { } param && error.Code == ErrorCodes.InvalidParameter ? error with { Param = "options." + param } : error;

    private static ApiError? Apply(OllamaSamplingFields fields, string name, JsonElement value)
    {
        switch (name)
        {
            case "temperature":
                return Float(name, value, v => fields.Temperature = v);
            case "top_p":
                return Float(name, value, v => fields.TopP = v);
            case "min_p":
                return Float(name, value, v => fields.MinP = v);
            case "repeat_penalty":
                return Float(name, value, v => fields.RepeatPenalty = v);
            case "presence_penalty":
                return Float(name, value, v => fields.PresencePenalty = v);
            case "frequency_penalty":
                return Float(name, value, v => fields.FrequencyPenalty = v);
            case "top_k":
                return Integer(name, value, v => fields.TopK = v);
            case "seed":
                // Ollama and llama.cpp take -1 as "pick one"; other negatives are refused by the range check.
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seed) ? Set(() => fields.Seed = seed == -1 ? null : seed) : Invalid(name, "an integer");
            case "num_predict":
                return Integer(name, value, v => fields.MaxTokens = v switch
                {
                    -1 or -2 => int.MaxValue,
                    _ => v,
                }) ?? (fields.MaxTokens is < 1 ? Option(name, "options.num_predict must be at least 1, or -1 (up to the context).") : null);
            case "stop":
                fields.Stop = value.Clone();
                return null;
            case var ignored when Ignored.Contains(ignored):
                return null;
            case var neutral when NeutralOnly.TryGetValue(neutral, out var only):
                return value.ValueKind == JsonValueKind.Number && value.GetDouble() == only
                    ? null
                    : Option(name, $"options.{name} is not supported here; only {only} (which changes nothing) is accepted.");
            default:
                return Option(name, $"options.{name} is not an option this server knows (see the README's Ollama section for the options it maps and ignores).");
        }
    }

    private static ApiError? Float(string name, JsonElement value, Action<float> set) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetSingle(out var v) ? Set(() => set(v)) : Invalid(name, "a number");

    private static ApiError? Integer(string name, JsonElement value, Action<int> set) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var v) ? Set(() => set(v)) : Invalid(name, "an integer");

    private static ApiError? Set(Action set)
    {
        set();
        return null;
    }

    private static ApiError Invalid(string name, string kind) => Option(name, $"options.{name} must be {kind}.");

    private static ApiError Option(string name, string message) => new(400, ErrorCodes.InvalidParameter, message, "options." + name);

    private static (OllamaSamplingFields?, ApiError?) Fail(string param, string message) => (null, new ApiError(400, ErrorCodes.InvalidParameter, message, param));
}
