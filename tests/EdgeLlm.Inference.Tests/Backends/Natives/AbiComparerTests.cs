using EdgeLlm.Inference.Backends.Natives;

namespace EdgeLlm.Inference.Tests.Backends.Natives;

/// <summary>LLamaSharp 0.30.0's real assembly, found by reflection, against the committed b10361 description and mutated copies of it.</summary>
public sealed class AbiComparerTests
{
    [Fact]
    public void TheCommittedDescriptionMatchesLLamaSharpExceptTheAllowedDifferences()
    {
        var comparison = AbiComparer.Compare(ManagedInterop.LLamaSharp, CommittedAbi.Parse());

        Assert.True(comparison.Matches, "mismatches:\n" + string.Join("\n", comparison.Mismatches));
        Assert.Equal(
            ["llama_context_params n_outputs_max_per_seq", "llama_sampler_i backend_reset", "llama_sampler_i copy_state", "llama_sampler_i size"],
            comparison.Allowed.Where(a => a.Mismatch.Subject == AbiSubject.Struct).Select(a => $"{a.Mismatch.Name} {a.Mismatch.Member}").Order());
    }

    [Fact]
    public void EveryAllowedDifferenceIsStillNeededAgainstTheCommittedDescription()
    {
        var used = Committed.Allowed.Select(a => a.Allowance).ToHashSet();

        Assert.Empty(AllowedAbiDifferences.All.Where(a => !used.Contains(a)).Select(a => $"{a.Subject} {a.Name}"));
    }

    [Fact]
    public void TheUnpatchedB10361ContextParamsWithTheirShiftedOffsetsAreRefused()
    {
        // b10361 without native/patches: n_outputs_max_per_seq at 24 moves every field up to defrag_thold by 4 bytes.
        var lines = CommittedAbi.Text.Split('\n').Select(line =>
        {
            var tokens = line.Split(' ');
            if (tokens is not ["field", "llama_context_params", var name, var offsetToken, ..])
            {
                return line;
            }

            var offset = int.Parse(offsetToken["offset=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var moved = name == "n_outputs_max_per_seq" ? 24 : offset is >= 24 and < 84 ? offset + 4 : offset;
            return string.Join(' ', tokens.Take(3).Append($"offset={moved}").Concat(tokens.Skip(4)));
        });

        var mismatches = Compare(string.Join('\n', lines)).Mismatches.Where(m => m.Name == "llama_context_params").ToList();

        Assert.Contains(mismatches, m => m is { Difference: AbiDifference.FieldKindDiffers, Member: "flash_attn_type" } && m.Detail.Contains("at offset 52", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m is { Difference: AbiDifference.FieldKindDiffers, Member: "yarn_orig_ctx" });
        Assert.Contains(mismatches, m => m is { Difference: AbiDifference.FieldMissing, Member: "defrag_thold" });
    }

    [Fact]
    public void AParameterAddedInCIsAParameterCountMismatch()
    {
        var text = CommittedAbi.WithLine("function llama_decode ", "function llama_decode return=int/4 params=ptr/8,struct:llama_batch/56,int/4");

        var mismatch = Assert.Single(Compare(text).Mismatches);

        Assert.Equal(new AbiMismatch(AbiSubject.Function, "llama_decode", null, AbiDifference.ParameterCountDiffers, mismatch.Detail), mismatch);
        Assert.Contains("C takes 3 parameter(s)", mismatch.Detail, StringComparison.Ordinal);
        Assert.Contains("passes 2", mismatch.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AParameterOfAnotherKindIsReportedByPosition()
    {
        var text = CommittedAbi.WithLine("function llama_set_n_threads ", "function llama_set_n_threads return=void/0 params=ptr/8,int/4,float/4");

        var mismatch = Assert.Single(Compare(text).Mismatches);

        Assert.Equal((AbiSubject.Function, "llama_set_n_threads", "parameter 3", AbiDifference.ParameterDiffers), (mismatch.Subject, mismatch.Name, mismatch.Member, mismatch.Difference));
    }

    [Fact]
    public void AStructMissingFromTheHeadersIsReported()
    {
        var text = string.Join('\n', CommittedAbi.Text.Split('\n').Where(l => !l.StartsWith("field llama_logit_bias ", StringComparison.Ordinal) && !l.StartsWith("struct llama_logit_bias ", StringComparison.Ordinal)));

        var mismatch = Assert.Single(Compare(text).Mismatches);

        Assert.Equal((AbiSubject.Struct, "llama_logit_bias", AbiDifference.StructMissing), (mismatch.Subject, mismatch.Name, mismatch.Difference));
    }

    [Fact]
    public void AFourByteManagedBoolWhereCHasAOneByteBoolIsAMismatchButAOneByteOneIsNot()
    {
        // LLamaSharp marshals llama_vocab_is_eog's result with MarshalAs(U1): bool/1 matches, int/4 would not.
        var asInt = CommittedAbi.WithLine("function llama_vocab_is_eog ", "function llama_vocab_is_eog return=int/4 params=ptr/8,int/4");
        Assert.Contains(Compare(asInt).Mismatches, m => m is { Name: "llama_vocab_is_eog", Member: "return", Difference: AbiDifference.ReturnDiffers });

        // llama_detokenize's bools have no MarshalAs (4 bytes): C's int/4 would match them, bool/1 does not (allowed only by its entry).
        var asIntParameters = CommittedAbi.WithLine("function llama_detokenize ", "function llama_detokenize return=int/4 params=ptr/8,ptr/8,int/4,ptr/8,int/4,int/4,int/4");
        Assert.Equal(["parameter 6", "parameter 7"], Committed.Allowed.Where(a => a.Mismatch.Name == "llama_detokenize").Select(a => a.Mismatch.Member).Order());
        var asIntComparison = AbiComparer.Compare(ManagedInterop.LLamaSharp, CommittedAbi.Parse(asIntParameters));
        Assert.DoesNotContain(asIntComparison.Allowed.Select(a => a.Mismatch).Concat(asIntComparison.Mismatches), m => m.Name == "llama_detokenize");
    }

    [Fact]
    public void AGrowingAllowedStructIsStillCaughtForAFieldTheAllowanceDoesNotName()
    {
        var text = CommittedAbi.WithLine("struct llama_sampler_i ", "struct llama_sampler_i size=104 align=8")
            .Replace("field llama_sampler_i copy_state offset=88 size=8 kind=ptr", "field llama_sampler_i copy_state offset=88 size=8 kind=ptr\nfield llama_sampler_i next_thing offset=96 size=8 kind=ptr", StringComparison.Ordinal);

        var mismatch = Assert.Single(Compare(text).Mismatches);

        Assert.Equal((AbiDifference.FieldMissing, "next_thing"), (mismatch.Difference, mismatch.Member));
    }

    [Fact]
    public void EveryStructLLamaSharpMarshalsIsFoundAndMapped()
    {
        var names = ManagedInterop.LLamaSharp.Structs.Select(s => s.Name).ToList();

        Assert.Contains("LLamaContextParams", names);
        Assert.Contains("LLamaModelParams", names);
        Assert.Contains("LLamaNativeBatch", names);
        Assert.Contains("LLamaSamplerChainParams", names);
        Assert.Contains("LLamaSamplerINative", names);
        Assert.Contains("mtmd_context_params", names);
        Assert.DoesNotContain(AbiComparer.Compare(ManagedInterop.LLamaSharp, CommittedAbi.Parse()).Mismatches, m => m.Difference == AbiDifference.StructNotMapped);
    }

    private static readonly AbiComparison Committed = AbiComparer.Compare(ManagedInterop.LLamaSharp, CommittedAbi.Parse());

    /// <summary>The mismatches a changed description adds to those of the committed one, which another test judges.</summary>
    private static AbiComparison Compare(string text)
    {
        var changed = AbiComparer.Compare(ManagedInterop.LLamaSharp, CommittedAbi.Parse(text));
        return new AbiComparison([.. changed.Mismatches.Except(Committed.Mismatches)], [.. changed.Allowed.Except(Committed.Allowed)]);
    }
}
