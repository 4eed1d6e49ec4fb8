namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>
/// The public headers of a llama.cpp tree as <c>scripts/natives-abi.py</c> reads them: <c>include/llama.h</c>,
/// ggml's three in <c>ggml/include/</c> and mtmd's two in <c>tools/mtmd/</c>. Only <c>llama.h</c> declares
/// anything; the others exist because the script includes all six.
/// </summary>
internal static class FakeLlamaHeaders
{
    /// <summary>The least a llama.h needs for the script to accept it.</summary>
    public const string MinimalLlamaHeader = """
        #pragma once
        #include <stdint.h>
        struct llama_context_params { char c; int i; };
        struct llama_batch;
        int32_t llama_decode(struct llama_batch * batch, int32_t n_tokens);
        """;

    /// <summary>Writes the six headers under <paramref name="root"/>, with <paramref name="llamaHeader"/> as llama.h.</summary>
    public static void Write(string root, string llamaHeader = MinimalLlamaHeader)
    {
        WriteHeader(root, "include/llama.h", llamaHeader);
        foreach (var empty in new[] { "ggml/include/ggml.h", "ggml/include/ggml-backend.h", "ggml/include/ggml-cpu.h", "tools/mtmd/mtmd.h", "tools/mtmd/mtmd-helper.h" })
        {
            WriteHeader(root, empty, "#pragma once\n");
        }
    }

    private static void WriteHeader(string root, string relativePath, string text)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
    }
}
