using System.Text;
using EdgeLlm.Api.Guarding;

namespace EdgeLlm.Api.Tests.Guarding;

public sealed class GuardVerdictGrammarTests
{
    [Fact]
    public void TheGrammarAllowsSafeOrUnsafeWithUpToAsManyOfThePolicysCategoriesAsItHas()
    {
        var grammar = GuardVerdictGrammar.For(["S1", "S10", "S1"]);

        Assert.Equal("root ::= \"safe\" | \"unsafe\\n\" category (\",\" category){0,2}\ncategory ::= \"S1\" | \"S10\"\n", grammar.Gbnf);
        Assert.Equal("root", grammar.Root);
    }

    [Fact]
    public void ACategoryIsQuotedAsAGbnfLiteral() =>
        Assert.Equal("root ::= \"safe\" | \"unsafe\\n\" category\ncategory ::= \"say \\\"hi\\\" \\\\ bye\"\n", GuardVerdictGrammar.For(["say \"hi\" \\ bye"]).Gbnf);

    [Fact]
    public void TheTokenLimitCoversTheLongestAnswerTheGrammarAllowsAtOneByteAToken()
    {
        string[] categories = ["S1", "S14", "catégorie"];
        var longest = "unsafe\n" + string.Join(',', Enumerable.Repeat("catégorie", categories.Length));

        Assert.True(GuardVerdictGrammar.MaxTokens(categories) > Encoding.UTF8.GetByteCount(longest));
    }
}
