using System.Runtime.InteropServices;
using EdgeLlm.Inference.Backends;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// Asks llama.cpp's own GBNF parser whether it takes a grammar before LLamaSharp's <c>AddGrammar</c> sees it:
/// <c>llama_sampler_init_grammar</c> returns NULL on a parse error, and AddGrammar would put that NULL into the
/// chain unchecked, to crash the daemon at the first token. Called in the libllama.so LLamaSharp loaded.
/// </summary>
internal static class GrammarParseCheck
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GetVocab(IntPtr model);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr InitGrammar(IntPtr vocab, [MarshalAs(UnmanagedType.LPUTF8Str)] string grammar, [MarshalAs(UnmanagedType.LPUTF8Str)] string root);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void FreeSampler(IntPtr sampler);

    private static readonly Lazy<(GetVocab Vocab, InitGrammar Init, FreeSampler Free)> Functions = new(Resolve);

    public static bool Parses(SafeLlamaModelHandle model, string gbnf, string root)
    {
        var (vocab, init, free) = Functions.Value;
        var sampler = init(vocab(model.DangerousGetHandle()), gbnf, root);
        if (sampler == IntPtr.Zero)
        {
            return false;
        }

        free(sampler);
        return true;
    }

    private static (GetVocab, InitGrammar, FreeSampler) Resolve()
    {
        var library = DynamicLinker.FindLoaded("libllama.so");
        if (library == IntPtr.Zero)
        {
            throw new InvalidOperationException("libllama.so is not loaded: no grammar can be checked before a model is.");
        }

        return (Function<GetVocab>(library, "llama_model_get_vocab"), Function<InitGrammar>(library, "llama_sampler_init_grammar"), Function<FreeSampler>(library, "llama_sampler_free"));
    }

    private static T Function<T>(IntPtr library, string name)
        where T : Delegate
    {
        var address = DynamicLinker.Symbol(library, name);
        return address == IntPtr.Zero
            ? throw new InvalidOperationException($"libllama.so exports no {name}.")
            : Marshal.GetDelegateForFunctionPointer<T>(address);
    }
}
