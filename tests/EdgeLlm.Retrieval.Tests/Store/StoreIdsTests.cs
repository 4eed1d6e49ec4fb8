using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Retrieval.Tests.Store;

/// <summary>
/// Client-chosen ids and collection names are exactly the documented alphabet, end to end: a trailing newline
/// (which .NET's <c>$</c> would let through), a carriage return, a NUL or a Unicode look-alike is refused.
/// </summary>
public sealed class StoreIdsTests
{
    public static TheoryData<string> NotIds => new()
    {
        "manuals\n", "manuals\r", "manuals\r\n", "manuals\0", "\nmanuals", "man\nuals", "m\u0430nuals", "manuals\u2028", "\uFF11\uFF12\uFF13", "manuals\u00A0",
        "manual\u0455", "..", ".hidden", "a/b", "a\\b", "", " manuals", "manuals ", "-x",
    };

    [Theory]
    [MemberData(nameof(NotIds))]
    public void AnIdOutsideTheAlphabetIsRefused(string id) => Assert.False(StoreIds.IsValid(id));

    [Theory]
    [MemberData(nameof(NotIds))]
    public void ACollectionNameOutsideTheAlphabetIsRefused(string name) => Assert.False(StoreIds.IsValidName(name));

    [Theory]
    [InlineData("manuals")]
    [InlineData("Manuals-2024_v1.2")]
    [InlineData("0")]
    public void AnIdOfTheAlphabetIsAccepted(string id)
    {
        Assert.True(StoreIds.IsValid(id));
        Assert.True(StoreIds.IsValidName(id));
    }

    [Fact]
    public void LengthsAreBoundedWithoutCountingANewline()
    {
        Assert.True(StoreIds.IsValid(new string('a', 128)));
        Assert.False(StoreIds.IsValid(new string('a', 129)));
        Assert.False(StoreIds.IsValid(new string('a', 127) + "\n"));
        Assert.True(StoreIds.IsValidName(new string('a', 64)));
        Assert.False(StoreIds.IsValidName(new string('a', 65)));
    }

    [Fact]
    public void GeneratedIdsAreValidIds()
    {
        Assert.True(StoreIds.IsValid(StoreIds.NewCollectionId()));
        Assert.True(StoreIds.IsValid(StoreIds.NewDocumentId()));
        Assert.True(StoreIds.IsValid(StoreIds.NewJobId()));
    }
}
