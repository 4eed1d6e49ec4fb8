using System.Runtime.InteropServices;
using EdgeLlm.Inference.Backends;
using LLama;

namespace EdgeLlm.Inference.Tests.Constraints;

/// <summary>
/// Asks llama.cpp's own GBNF parser whether it takes a grammar: <c>llama_sampler_init_grammar</c> returns NULL on a
/// parse error (and logs why). LLamaSharp's AddGrammar would add that NULL to a chain unchecked, so the probe calls
/// the function itself, in the libllama.so LLamaSharp loaded.
/// </summary>
internal sealed class LlamaGrammarProbe
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GetVocab(IntPtr model);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr InitGrammar(IntPtr vocab, [MarshalAs(UnmanagedType.LPUTF8Str)] string grammar, [MarshalAs(UnmanagedType.LPUTF8Str)] string root);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void FreeSampler(IntPtr sampler);

    private readonly IntPtr _vocab;
    private readonly InitGrammar _init;
    private readonly FreeSampler _free;

    public LlamaGrammarProbe(LLamaWeights weights)
    {
        var library = DynamicLinker.FindLoaded("libllama.so");
        Assert.NotEqual(IntPtr.Zero, library);
        _vocab = Function<GetVocab>(library, "llama_model_get_vocab")(weights.NativeHandle.DangerousGetHandle());
        _init = Function<InitGrammar>(library, "llama_sampler_init_grammar");
        _free = Function<FreeSampler>(library, "llama_sampler_free");
    }

    public bool Accepts(string gbnf, string root)
    {
        var sampler = _init(_vocab, gbnf, root);
        _free(sampler);
        return sampler != IntPtr.Zero;
    }

    private static T Function<T>(IntPtr library, string name)
        where T : Delegate
    {
        var address = DynamicLinker.Symbol(library, name);
        Assert.NotEqual(IntPtr.Zero, address);
        return Marshal.GetDelegateForFunctionPointer<T>(address);
    }
}
