using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Scripts;

/// <summary>
/// What <c>scripts/natives-abi.py</c> prints for one fake llama.h with a field or function of every kind it names,
/// run once for all of <see cref="NativesAbiScriptTests"/>'s layout tests. The expected offsets are those of the
/// x86-64 and arm64 C ABIs (LP64), which both platforms the natives are built for share.
/// </summary>
public sealed class NativesAbiOfAFakeTree : IAsyncLifetime
{
    public const string LlamaHeader = """
        #pragma once
        #include <stdbool.h>
        #include <stdint.h>
        #include <stdio.h>

        enum llama_kind { LLAMA_KIND_A, LLAMA_KIND_B };
        typedef bool (*llama_abort_callback)(void * data);
        typedef struct llama_memory_i * llama_memory_t;

        struct llama_context_params { char c; int i; };

        struct llama_shapes {
            enum llama_kind kind;
            bool flag;
            llama_abort_callback abort_callback;
            void (*log_callback)(int level, const char * text);
            union { int32_t as_int; float as_float; };
            struct { int32_t a; double b; } nested;
            float * rows[3];
            char name[16];
            struct llama_context_params by_value;
        };

        struct llama_batch;
        int32_t llama_decode(struct llama_batch * batch, int32_t n_tokens);
        void llama_backend_init(void);
        double llama_mix(float weight, bool flag, struct llama_context_params params, const char * text, FILE * log);
        llama_memory_t llama_get_memory(const struct llama_context_params * params);
        """;

    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-natives-abi-").FullName;

    public static string Script { get; } = Path.Combine(TestModels.RepositoryRoot, "scripts", "natives-abi.py");

    internal CommandResult Result { get; private set; } = new(-1, string.Empty, string.Empty);

    /// <summary>The <c>abi 1</c> file's records, comments and blank lines left out.</summary>
    public IReadOnlyList<string> Records => Result.StandardOutput.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();

    public async Task InitializeAsync()
    {
        FakeLlamaHeaders.Write(_scratch, LlamaHeader);
        Result = await Command.RunAsync("python3", [Script, _scratch]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The <c>key=value</c> tokens of the one record that starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyDictionary<string, string> Record(string prefix) =>
        Assert.Single(Records, line => line.StartsWith(prefix + " ", StringComparison.Ordinal))
            .Split(' ').Where(token => token.Contains('=', StringComparison.Ordinal)).Select(token => token.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
}
