using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Tests.Support;

namespace EdgeLlm.Retrieval.Tests.Search;

public sealed class KeywordSearchTests
{
    [Theory]
    [InlineData("torque \"NEAR(a b)\" OR text:* -x ^y", "\"torque\" OR \"NEAR\" OR \"a\" OR \"b\" OR \"OR\" OR \"text\" OR \"x\" OR \"y\"")]
    [InlineData("Drehmoment für Pumpe P-200", "\"Drehmoment\" OR \"für\" OR \"Pumpe\" OR \"P\" OR \"200\"")]
    public void UserTextBecomesQuotedWordsSoItCannotBeFts5Syntax(string text, string expected)
    {
        Assert.Equal(expected, KeywordSearch.MatchExpression(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ?! ** \"\" ")]
    public void TextWithoutWordsSearchesNothing(string text)
    {
        Assert.Null(KeywordSearch.MatchExpression(text));
    }

    [Fact]
    public async Task HostileQueriesRunAsPlainWordsAndStayInsideTheCollection()
    {
        using var db = new TestDatabase();
        var mine = await db.CreateCollectionAsync("tenant-a", "manuals");
        var theirs = await db.CreateCollectionAsync("tenant-b", "secrets");
        await db.Documents.ReplaceAsync(Documents.Info(mine.Id, "pump"), Documents.Chunks("impeller torque is 45 Nm"), CancellationToken.None);
        await db.Documents.ReplaceAsync(Documents.Info(theirs.Id, "plan"), Documents.Chunks("impeller canary-7781 merger plan"), CancellationToken.None);
        using var connection = db.Database.Open();

        var hits = KeywordSearch.Search(connection, mine.Id, "impeller\" OR chunks_fts:* canary NEAR(merger)", null, 10);

        var chunk = Assert.Single(hits);
        Assert.Equal("pump", db.Text($"SELECT document_id FROM chunks WHERE id = {chunk}"));
    }
}
