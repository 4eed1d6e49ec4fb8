using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace EdgeLlm.Inference.Tests.Runtime;

/// <summary>
/// The footprint estimated from the GGUF against what llama.cpp allocated for the real model: the buffer sizes it logs
/// while loading (model, KV, output and compute buffers, each a real allocation), and its own model size.
/// RSS growth is not the measure: a 1-2 MB model drowns in the runtime's own allocations, and llama.cpp's buffers
/// are resident only once written, which a short decode does only in part.
/// </summary>
public sealed partial class ModelFootprintMeasuredTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("stories260K")]
    [InlineData("llama-2-tiny-random")]
    public async Task TheEstimateFromTheGgufMatchesWhatLlamaCppAllocates(string file)
    {
        var path = file == "stories260K" ? TestModels.Stories260K : TestModels.TinyRandomLlama2;
        var options = new InferenceOptions { ContextSize = 256, MaxSequences = 2, BatchSize = 64, UseMemoryMap = false };
        var loader = new ModelLoader(Options.Create(options), NullLoggerFactory.Instance, TimeProvider.System);

        LoadedModel model;
        StringBuilder log;
        using (NativeLogBridge.Capture(out log))
        {
            model = loader.Load(new ModelOptions { Path = path });
        }

        await using (model)
        {
            var text = log.ToString();
            var weights = Buffer(text, "model");
            var kv = Buffer(text, "KV");
            var compute = Buffer(text, "compute") + Buffer(text, "output");
            var estimate = model.Footprint;
            output.WriteLine($"{file}: estimate weights {estimate.WeightsBytes} kv {estimate.KvCacheBytes} compute {estimate.ComputeBytes} total {estimate.TotalBytes}");
            output.WriteLine($"{file}: llama.cpp weights {model.WeightsBytes} (log {weights:F0}) kv {kv:F0} compute+output {compute:F0} total {weights + kv + compute:F0}");

            // The weights are the tensor table's sizes: llama.cpp's own count within 5 %.
            Assert.InRange(estimate.WeightsBytes, model.WeightsBytes * 0.95, model.WeightsBytes * 1.05);
            // The cache is f16 for every cell: its logged buffer within 5 % (the log prints MiB to two decimals).
            Assert.InRange(estimate.KvCacheBytes, (kv * 0.95) - 10_000, (kv * 1.05) + 10_000);
            // The whole, compute allowance included, within 25 % of everything llama.cpp allocated.
            var measured = weights + kv + compute;
            Assert.InRange(estimate.TotalBytes, measured * 0.75, measured * 1.25);
        }
    }

    /// <summary>The sum of every "&lt;device&gt; &lt;kind&gt; buffer size = N MiB" line llama.cpp logged, in bytes.</summary>
    private static double Buffer(string log, string kind) =>
        BufferLine().Matches(log).Where(m => m.Groups["kind"].Value == kind).Sum(m => double.Parse(m.Groups["mib"].Value, CultureInfo.InvariantCulture) * 1024 * 1024);

    [GeneratedRegex(@"(?<kind>model|KV|compute|output) buffer size =\s*(?<mib>[0-9.]+) MiB")]
    private static partial Regex BufferLine();
}
