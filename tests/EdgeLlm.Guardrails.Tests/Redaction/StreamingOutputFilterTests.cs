using EdgeLlm.Guardrails.Redaction;
using EdgeLlm.Guardrails.Tests.Redaction.Fakes;

namespace EdgeLlm.Guardrails.Tests.Redaction;

public class StreamingOutputFilterTests
{
    private const string Email = "ann.lee@example.com";
    private const string OtherEmail = "bob@mail.example.org";
    private const string Card = "4111 1111 1111 1111";
    private const string OtherCard = "5500-0000-0000-0004";

    // Longer than the window, so most text is released before the end; emoji around entities and at a split.
    private const string Answer =
        $"Hello 👋 — please write to {Email} about card {Card}; {Email} said {OtherEmail} has {OtherCard} too 😀. "
        + "Nothing else: v1.2.3, 2026-12-03, order 12345, 4111 1111 1111 1112 is not a card.";

    private const string EdgeAnswer = $"{Card}: {Email}😀{OtherEmail}";

    // Neither is an entity as a whole (a local part over 16 characters, 23 digits), but a tail of each would be: the
    // filter must keep enough released text before the held text for the detectors' look-behinds to see that.
    private const string LongRunsAnswer =
        "Not an address: " + "abcdefghijabcdefghijabcdef@example.com" + ", not a card: 41111111111111111111111 "
        + "and then plenty of plain words so the runs are released before the end of the answer.";

    private static readonly string[] RawEntities = [Email, OtherEmail, Card, OtherCard];

    public static TheoryData<string> Answers => [Answer, EdgeAnswer, LongRunsAnswer];

    [Theory]
    [MemberData(nameof(Answers))]
    public void AnAnswerSplitAtEveryBoundaryIntoTwoComesOutAsTheWholeTextRedaction(string answer)
    {
        var redactor = EmailAndCard(new RedactionRules());
        var expected = redactor.Redact(answer, new RedactionScope());

        foreach (var tokens in Tokenisations.AllTwoPieceSplits(answer))
        {
            var (output, filter) = StreamCheck.Run(redactor, tokens, expected.Text, RawEntities);
            Assert.Equal(expected.Text, output);
            Assert.Equal(expected.Decisions, filter.Decisions);
        }
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void AnAnswerSplitAtEveryPairOfBoundariesComesOutAsTheWholeTextRedaction(string answer)
    {
        var redactor = EmailAndCard(new RedactionRules());
        var expected = redactor.Redact(answer, new RedactionScope()).Text;

        foreach (var tokens in Tokenisations.AllThreePieceSplits(answer))
        {
            Assert.Equal(expected, StreamCheck.Run(redactor, tokens, expected, RawEntities).Output);
        }
    }

    [Theory]
    [InlineData(RedactionAction.Redact)]
    [InlineData(RedactionAction.Mask)]
    public void RandomTokenisationsComeOutAsTheWholeTextRedaction(RedactionAction cardAction)
    {
        var redactor = EmailAndCard(new RedactionRules { Actions = RedactorTests.Actions(("card", cardAction)) });
        var expected = redactor.Redact(Answer, new RedactionScope()).Text;
        var random = new Random(17);

        for (var run = 0; run < 2000; run++)
        {
            var tokens = Tokenisations.Random(Answer, random, longest: 1 + (run % 12));
            Assert.Equal(expected, StreamCheck.Run(redactor, tokens, expected, RawEntities).Output);
        }
    }

    [Fact]
    public void ABlockMidStreamStopsTheOutputBeforeTheBlockedEntity()
    {
        var redactor = EmailAndCard(new RedactionRules { Actions = RedactorTests.Actions(("card", RedactionAction.Block)) });
        var beforeCard = Answer[..Answer.IndexOf(Card, StringComparison.Ordinal)];
        var expected = redactor.Redact(beforeCard, new RedactionScope()).Text;

        foreach (var tokens in Tokenisations.AllTwoPieceSplits(Answer).Concat(OneCharacterTokens(Answer)))
        {
            var (output, filter) = StreamCheck.Run(redactor, tokens, expected, RawEntities);
            Assert.Equal(expected, output);
            Assert.Equal("card", filter.BlockedFamily);
            Assert.Contains(new RedactionDecision("card", RedactionAction.Block, 1), filter.Decisions);
        }
    }

    [Fact]
    public void AfterABlockEveryTokenReportsTheBlockAndReleasesNothing()
    {
        var redactor = EmailAndCard(new RedactionRules { Actions = RedactorTests.Actions(("card", RedactionAction.Block)) });
        var filter = redactor.CreateStreamFilter(new RedactionScope());

        var release = filter.Push(Answer);
        Assert.True(release.IsBlocked);

        Assert.Equal(new StreamRelease(string.Empty, "card"), filter.Push("more text after the block, " + new string('x', 200)));
        Assert.Equal(new StreamRelease(string.Empty, "card"), filter.Complete());
    }

    [Fact]
    public void EmptyTokensChangeNothing()
    {
        var redactor = EmailAndCard(new RedactionRules());
        var expected = redactor.Redact(Answer, new RedactionScope()).Text;
        var tokens = OneCharacterTokens(Answer).Single().SelectMany(token => new[] { string.Empty, token, string.Empty });

        Assert.Equal(expected, StreamCheck.Run(redactor, tokens, expected, RawEntities).Output);
    }

    [Fact]
    public void AVeryLongTokenIsReleasedAllButTheWindowAtOnce()
    {
        var redactor = EmailAndCard(new RedactionRules());
        var longAnswer = string.Concat(Enumerable.Repeat(Answer, 60));
        var expected = redactor.Redact(longAnswer, new RedactionScope()).Text;
        var filter = redactor.CreateStreamFilter(new RedactionScope());

        var first = filter.Push(longAnswer).Text;

        Assert.InRange(filter.HeldLength, 1, filter.HoldBackLimit);
        Assert.StartsWith(first, expected, StringComparison.Ordinal);
        Assert.Equal(expected, first + filter.Complete().Text);
    }

    [Fact]
    public void TextWithoutEntitiesIsDelayedByNoMoreThanTheWindow()
    {
        var redactor = EmailAndCard(new RedactionRules());
        var plain = string.Concat(Enumerable.Repeat("Plain words, no entities at all; version 1.2.3 on 2026-12-03. ", 10));
        var filter = redactor.CreateStreamFilter(new RedactionScope());
        var released = 0;

        for (var i = 0; i < plain.Length; i++)
        {
            var text = filter.Push(plain.AsSpan(i, 1)).Text;
            Assert.Equal(plain.Substring(released, text.Length), text);
            released += text.Length;
            Assert.InRange(i + 1 - released, 0, redactor.MaxMatchLength);
        }

        Assert.Equal(plain[released..], filter.Complete().Text);
    }

    [Fact]
    public void PlaceholdersAlreadyReleasedAreNotDetectedAgain()
    {
        // This detector would turn a released "[EMAIL_1]" into "[[TAG_1]]" if the filter scanned its own output.
        var redactor = new Redactor(
            [new PatternEmailDetector(), new LiteralDetector("tag", ("EMAIL_1", 1.0))],
            new RedactionRules());
        var expected = redactor.Redact(Answer, new RedactionScope()).Text;
        Assert.Contains("[EMAIL_1]", expected, StringComparison.Ordinal);

        foreach (var tokens in OneCharacterTokens(Answer).Concat(Tokenisations.AllTwoPieceSplits(Answer)))
        {
            Assert.Equal(expected, StreamCheck.Run(redactor, tokens, expected, [Email, OtherEmail]).Output);
        }
    }

    [Fact]
    public void TheAnswerUsesThePlaceholdersOfTheRequestsInput()
    {
        var redactor = EmailAndCard(new RedactionRules());
        var scope = new RedactionScope();
        Assert.Equal("ask [EMAIL_1]", redactor.Redact($"ask {OtherEmail}", scope).Text);

        var filter = redactor.CreateStreamFilter(scope);
        var output = filter.Push($"I asked {OtherEmail} and {Email}.").Text + filter.Complete().Text;

        Assert.Equal("I asked [EMAIL_1] and [EMAIL_2].", output);
    }

    [Fact]
    public void WithoutDetectorsEverythingPassesAtOnceButHalfASurrogatePair()
    {
        var filter = new Redactor([], new RedactionRules()).CreateStreamFilter(new RedactionScope());

        Assert.Equal("ab", filter.Push("ab").Text);
        Assert.Equal("c", filter.Push("c😀".AsSpan(0, 2)).Text);
        Assert.Equal("😀d", filter.Push("😀d".AsSpan(1)).Text);
        Assert.Equal(string.Empty, filter.Complete().Text);
    }

    [Fact]
    public void TheFilterTakesNothingAfterComplete()
    {
        var filter = EmailAndCard(new RedactionRules()).CreateStreamFilter(new RedactionScope());
        filter.Complete();

        Assert.Throws<ObjectDisposedException>(() => filter.Push("late"));
    }

    private static Redactor EmailAndCard(RedactionRules rules) =>
        new([new PatternEmailDetector(), new LuhnCardDetector()], rules);

    private static IEnumerable<string[]> OneCharacterTokens(string text) => [[.. text.Select(c => c.ToString())]];
}
