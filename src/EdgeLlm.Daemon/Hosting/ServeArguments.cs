namespace EdgeLlm.Daemon.Hosting;

/// <summary>What <c>edgellm serve</c> was given on its command line.</summary>
/// <param name="DataDirectory">--data-dir, when given.</param>
/// <param name="ModelPath">--model: serve this GGUF as the first model.</param>
/// <param name="Urls">--urls: where to listen.</param>
/// <param name="ConfigFile">--config: the JSON settings file.</param>
/// <param name="Settings">Any other <c>--Section:Key value</c> pairs, highest precedence.</param>
internal sealed record ServeArguments(string? DataDirectory, string? ModelPath, string? Urls, string? ConfigFile, IReadOnlyList<string> Settings);
