using EdgeLlm.Inference.Backends.Natives;
using EdgeLlm.Testing;

namespace EdgeLlm.Inference.Tests.Backends.Natives;

/// <summary>
/// Each allowed ABI difference holds only while EdgeLlm stays away from the LLamaSharp API it names: the day a
/// source file uses one (a custom sampler, say), the difference matters and this fails.
/// </summary>
public sealed class CustomSamplerGuardTests
{
    [Fact]
    public void NoSourceFileUsesLLamaSharpsCustomSamplerApi()
    {
        var sampler = Assert.Single(AllowedAbiDifferences.All, a => a.Name == "llama_sampler_i");
        Assert.Equal(["ICustomSampler", "CustomSampler", "AddCustom"], sampler.GuardedApis);

        Assert.Empty(Uses(sampler.GuardedApis));
    }

    [Fact]
    public void NoSourceFileUsesAnyApiThatAnAllowedDifferenceGuards()
    {
        Assert.Empty(Uses(AllowedAbiDifferences.All.SelectMany(a => a.GuardedApis).Distinct()));
    }

    [Fact]
    public void TheAllowancesWereJudgedAgainstTheLLamaSharpVersionTheBuildPins()
    {
        var packages = File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, "Directory.Packages.props"));

        Assert.Contains($"<PackageVersion Include=\"LLamaSharp\" Version=\"{AllowedAbiDifferences.LLamaSharpVersion}\" />", packages, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGuardFindsAUseWhereThereIsOne()
    {
        // The guard reads the real tree: the ABI check's own files, which name the guarded APIs, are the only ones it skips.
        Assert.Contains(SourceFiles(includeAbiCheck: true), f => File.ReadAllText(f).Contains("AddCustom", StringComparison.Ordinal));
        Assert.Contains(SourceFiles(includeAbiCheck: false), f => f.EndsWith("SamplerChainFactory.cs", StringComparison.Ordinal));
    }

    private static readonly string AbiCheckFolder = Path.Combine(TestModels.RepositoryRoot, "src", "EdgeLlm.Inference", "Backends", "Natives");

    private static List<string> Uses(IEnumerable<string> apis) =>
        [.. from file in SourceFiles(includeAbiCheck: false)
            let text = File.ReadAllText(file)
            from api in apis
            where text.Contains(api, StringComparison.Ordinal)
            select $"{Path.GetRelativePath(TestModels.RepositoryRoot, file)} uses {api}"];

    private static IEnumerable<string> SourceFiles(bool includeAbiCheck)
    {
        var src = Path.Combine(TestModels.RepositoryRoot, "src");
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Where(f => includeAbiCheck || Path.GetDirectoryName(f) != AbiCheckFolder);
    }
}
