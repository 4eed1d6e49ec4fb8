using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

public sealed class AddressDetectorTests
{
    private readonly IEntityDetector _email = Detect.Family(PiiFamilies.Email);
    private readonly IEntityDetector _ipv4 = Detect.Family(PiiFamilies.IPv4);
    private readonly IEntityDetector _ipv6 = Detect.Family(PiiFamilies.IPv6);
    private readonly IEntityDetector _mac = Detect.Family(PiiFamilies.Mac);

    [Theory]
    [InlineData("Write to anna.meier+news@mail.example.co.uk.", "anna.meier+news@mail.example.co.uk")]
    [InlineData("<j_smith@firma-x.de>", "j_smith@firma-x.de")]
    [InlineData("mailto:KIM@EXAMPLE.ORG", "KIM@EXAMPLE.ORG")]
    [InlineData("{\"email\":\"x@t.co\"}", "x@t.co")]
    public void AnEmailAddressIsFoundWithoutItsSurroundings(string text, string email) =>
        Assert.Equal([email], Detect.Strong(_email, text));

    [Theory]
    [InlineData("anna@localhost")]
    [InlineData("@anna on the forum")]
    [InlineData("anna@@example.com")]
    [InlineData("anna@example.c")]
    [InlineData("anna@-example.com")]
    public void NearMissesAreNoEmailAddresses(string text) => Assert.Empty(_email.Find(text));

    [Fact]
    public void AContextWordRaisesAnEmailAddress() =>
        Assert.True(Detect.Single(_email, "E-Mail: a@example.com").Score > Detect.Single(_email, "see a@example.com").Score);

    [Theory]
    [InlineData("from 192.168.1.20:8080", "192.168.1.20")]
    [InlineData("0.0.0.0 and 255.255.255.255", "0.0.0.0", "255.255.255.255")]
    [InlineData("ip=10.0.0.1;", "10.0.0.1")]
    public void AnIPv4AddressIsFound(string text, params string[] addresses) => Assert.Equal(addresses, Detect.Strong(_ipv4, text));

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("version 1.2.3")]
    [InlineData("v1.2.3.4")]
    [InlineData("1.2.3.4.5")]
    [InlineData("01.2.3.4")]
    public void OutOfRangeOctetsVersionsAndLongerDottedNumbersAreNoIPv4(string text) => Assert.Empty(_ipv4.Find(text));

    [Theory]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334")]
    [InlineData("2001:db8::1")]
    [InlineData("fe80::1ff:fe23:4567:890a")]
    [InlineData("::ffff:192.0.2.128")]
    [InlineData("2001:DB8::")]
    public void AnIPv6AddressIsFoundFullOrCompressed(string address) =>
        Assert.Equal([address], Detect.Strong(_ipv6, $"host [{address}] is up"));

    [Theory]
    [InlineData("std::vector<int>")]
    [InlineData("at 10:32:11")]
    [InlineData("1::2::3")]
    [InlineData("00:1A:2B:3C:4D:5E")]
    [InlineData("Foo::Bar")]
    public void ColonsThatAreNoIPv6AddressAreIgnored(string text) => Assert.Empty(_ipv6.Find(text));

    [Fact]
    public void ALoneLoopbackIsAWeakIPv6Match() =>
        Assert.True(Detect.Single(_ipv6, "bind ::1 only").Score < DetectorScores.DetectionThreshold);

    [Theory]
    [InlineData("00:1A:2B:3C:4D:5E")]
    [InlineData("00-1a-2b-3c-4d-5e")]
    [InlineData("001a.2b3c.4d5e")]
    public void AMacAddressIsFoundInEachNotation(string mac) => Assert.Equal([mac], Detect.Strong(_mac, $"device {mac} joined"));

    [Theory]
    [InlineData("00:1A:2B:3C:4D")]
    [InlineData("00:1A:2B:3C:4D:5E:6F")]
    [InlineData("00:1A-2B:3C-4D:5E")]
    [InlineData("x00:1A:2B:3C:4D:5E")]
    [InlineData("fe80::00:1A:2B:3C:4D:5E")]
    public void ShortLongMixedOrEmbeddedHexPairsAreNoMacAddress(string text) => Assert.Empty(_mac.Find(text));
}
