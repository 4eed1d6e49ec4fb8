using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

public sealed class NumberDetectorTests
{
    private readonly IEntityDetector _iban = Detect.Family(PiiFamilies.Iban);
    private readonly IEntityDetector _card = Detect.Family(PiiFamilies.Card);
    private readonly IEntityDetector _phone = Detect.Family(PiiFamilies.Phone);

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("GB29 NWBK 6016 1331 9268 19")]
    [InlineData("NO9386011117947")]
    public void AValidIbanIsStrongInAnyGrouping(string iban)
    {
        var match = Detect.Single(_iban, $"Pay to {iban}, thanks.");
        Assert.Equal(iban.Length, match.Length);
        Assert.True(match.Score >= DetectorScores.Checksum);
    }

    [Fact]
    public void AnIbanFailingMod97IsWeakEvenWithContext()
    {
        var match = Detect.Single(_iban, "IBAN: DE89 3704 0044 0532 0130 01");
        Assert.True(match.Score < DetectorScores.DetectionThreshold);
    }

    [Theory]
    [InlineData("XDE89370400440532013000")]
    [InlineData("DE89370400440532013000X")]
    [InlineData("DE8937040044053201300")]
    [InlineData("ZZ89370400440532013000")]
    public void NoIbanInsideAWordOrAtTheWrongLengthOrCountry(string text) => Assert.Empty(_iban.Find(text));

    [Fact]
    public void AnIbanFollowedByAWordEndsAtItsCountrysLength() =>
        Assert.Equal(["DE89 3704 0044 0532 0130 00"], Detect.Strong(_iban, "DE89 3704 0044 0532 0130 00 AB12 is the account"));

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("3782 822463 10005")]
    [InlineData("5555555555554444")]
    public void ALuhnValidCardInAKnownRangeIsStrong(string card)
    {
        var match = Detect.Single(_card, $"paid with {card} yesterday");
        Assert.Equal(card.Length, match.Length);
        Assert.True(match.Score >= DetectorScores.Checksum);
    }

    [Fact]
    public void ACardFailingLuhnIsWeakEvenWithContext() =>
        Assert.True(Detect.Single(_card, "credit card 4111 1111 1111 1112").Score < DetectorScores.DetectionThreshold);

    [Fact]
    public void ALuhnValidNumberOutsideEveryIssuerRangeNeedsContext()
    {
        // Luhn-valid, but no scheme issues numbers starting with 7.
        Assert.Empty(Detect.Strong(_card, "ref 7992739871300008"));
        Assert.Equal(["7992739871300008"], Detect.Strong(_card, "card no. 7992739871300008"));
    }

    [Theory]
    [InlineData("x4111111111111111")]
    [InlineData("4111111111111111x")]
    [InlineData("1.4111111111111111")]
    [InlineData("4111 1111-1111 1111")]
    [InlineData("+4111111111111111")]
    public void NoCardInsideAWordANumberOrMixedSeparators(string text) => Assert.Empty(Detect.Strong(_card, text));

    [Theory]
    [InlineData("(212) 234-5678")]
    [InlineData("212-234-5678")]
    [InlineData("+1 212-234-5678")]
    [InlineData("+12122345678")]
    [InlineData("+49 30 12345678")]
    [InlineData("+44 20 7946 0958")]
    public void AValidPhoneNumberWrittenAsItsCountryGroupsItIsFound(string phone) =>
        Assert.Equal([phone], Detect.Strong(_phone, $"Reach me at {phone} after six."));

    [Fact]
    public void ABareRunOfDigitsIsAPhoneNumberOnlyWithAContextWord()
    {
        Assert.Empty(Detect.Strong(_phone, "Order 2122345678 shipped"));
        Assert.Equal(["2122345678"], Detect.Strong(_phone, "Tel. 2122345678"));
    }

    [Theory]
    [InlineData("phone (123) 456-7890")]
    [InlineData("2024-01-15 10:32:11")]
    [InlineData("ISBN 978-3-16-148410-0")]
    [InlineData("192.168.100.200")]
    public void InvalidNumbersAndLookAlikesAreNotStrongPhoneNumbers(string text) => Assert.Empty(Detect.Strong(_phone, text));

    [Fact]
    public void ThePhoneRegionDecidesWhatANationalNumberIs()
    {
        var german = PiiDetectorSet.Create(new PiiDetectorOptions { Families = [PiiFamilies.Phone], PhoneRegion = "DE" });
        Assert.Equal(["030 12345678"], Detect.Strong(german, "Ruf an: 030 12345678"));
        Assert.Empty(Detect.Strong(_phone, "Ruf an: 030 12345678"));
    }

    [Fact]
    public void AnUnknownPhoneRegionIsRefused() =>
        Assert.Throws<ArgumentException>(() => PiiDetectorSet.Create(new PiiDetectorOptions { PhoneRegion = "XX" }));
}
