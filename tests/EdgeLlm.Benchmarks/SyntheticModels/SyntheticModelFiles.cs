using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.SyntheticModels;

/// <summary>Synthetic models in the ignored <c>.models/synthetic/</c>, written on first use with Llama 2's tokenizer.</summary>
internal static class SyntheticModelFiles
{
    /// <summary>The file of <paramref name="shape"/>; delete it to regenerate it after changing the writer.</summary>
    public static string Ensure(string fileName, SyntheticLlamaShape shape)
    {
        var path = Path.Combine(TestModels.RepositoryRoot, ".models", "synthetic", fileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Console.WriteLine($"Writing the synthetic model to {path} ...");
            SyntheticLlamaWriter.Write(path, shape, TestModels.TinyRandomLlama2);
        }

        return path;
    }
}
