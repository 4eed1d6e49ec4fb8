namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>What every participant of a comparison with llama.cpp's tools shares, so only the software differs.</summary>
/// <param name="Threads">Decode and batch threads of every participant.</param>
/// <param name="GpuLayers">Layers offloaded (0 on the CPU).</param>
/// <param name="Tokens">Generated tokens per run (llama-bench's tg, batched-bench's ntg, the lean loop, each stream).</param>
/// <param name="Repeats">Runs of each rate measurement; the median (llama-bench: the mean) counts.</param>
/// <param name="TtftRuns">Time-to-first-token runs of the lean loop and the daemon.</param>
/// <param name="ContextSize">Context per sequence of the lean loop and the daemon.</param>
internal sealed record ComparisonSettings(int Threads, int GpuLayers, int Tokens, int Repeats, int TtftRuns, int ContextSize);
