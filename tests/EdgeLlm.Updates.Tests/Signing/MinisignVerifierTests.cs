using System.Text;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Signing;

namespace EdgeLlm.Updates.Tests.Signing;

/// <summary>Signatures made by the real minisign binary, verified in C#; each kind of tampering gets its own code.</summary>
public sealed class MinisignVerifierTests : IDisposable
{
    private const string Manifest = """{"name":"models","channel":"stable","sequence":7}""";
    private readonly Minisign _minisign = new();
    private readonly string _manifest;
    private readonly TrustedKeyRing _trusted;

    public MinisignVerifierTests()
    {
        _manifest = _minisign.WriteFile("manifest.json", Manifest);
        var trustedKey = _minisign.CreateKey("publisher");
        _trusted = TrustedKeyRing.Load(Path.GetDirectoryName(trustedKey)!);
    }

    [Fact]
    public void ASignatureMadeByMinisignVerifiesAndCarriesItsTrustedComment()
    {
        var signature = _minisign.Sign("publisher", _manifest, "bundle models 7");

        var check = Verify(File.ReadAllBytes(_manifest), File.ReadAllBytes(signature));

        var valid = Assert.IsType<SignatureCheck.Valid>(check);
        Assert.Equal("bundle models 7", valid.TrustedComment);
        Assert.Equal(_trusted.Keys.Single().KeyId, valid.Key.KeyId);
    }

    [Fact]
    public void OneChangedContentByteIsRefused()
    {
        var signature = File.ReadAllBytes(_minisign.Sign("publisher", _manifest, "bundle models 7"));
        var content = File.ReadAllBytes(_manifest);
        content[^2] ^= 1;

        AssertRefused(SignatureErrors.Invalid, Verify(content, signature));
    }

    [Fact]
    public void AnAlteredSignatureLineIsRefused()
    {
        var lines = SignatureLines();
        var bytes = Convert.FromBase64String(lines[1]);
        bytes[^1] ^= 1;
        lines[1] = Convert.ToBase64String(bytes);

        AssertRefused(SignatureErrors.Invalid, Verify(File.ReadAllBytes(_manifest), Join(lines)));
    }

    [Fact]
    public void AnAlteredTrustedCommentIsRefused()
    {
        var lines = SignatureLines();
        lines[2] = "trusted comment: bundle models 8";

        AssertRefused(SignatureErrors.TrustedCommentInvalid, Verify(File.ReadAllBytes(_manifest), Join(lines)));
    }

    [Fact]
    public void AnAlteredGlobalSignatureIsRefused()
    {
        var lines = SignatureLines();
        var bytes = Convert.FromBase64String(lines[3]);
        bytes[0] ^= 1;
        lines[3] = Convert.ToBase64String(bytes);

        AssertRefused(SignatureErrors.TrustedCommentInvalid, Verify(File.ReadAllBytes(_manifest), Join(lines)));
    }

    [Fact]
    public void AKeyThatIsNotTrustedIsRefusedByItsId()
    {
        using var other = new Minisign();
        other.CreateKey("stranger");
        var manifest = other.WriteFile("manifest.json", Manifest);
        var signature = other.Sign("stranger", manifest, "bundle models 7");

        var check = Verify(File.ReadAllBytes(manifest), File.ReadAllBytes(signature));

        AssertRefused(SignatureErrors.UnknownKey, check);
    }

    [Fact]
    public void ALegacySignatureIsRefusedUnlessAllowed()
    {
        var signature = File.ReadAllBytes(_minisign.Sign("publisher", _manifest, "bundle models 7", legacy: true));

        AssertRefused(SignatureErrors.LegacyAlgorithm, Verify(File.ReadAllBytes(_manifest), signature));
        Assert.IsType<SignatureCheck.Valid>(new MinisignVerifier(_trusted, allowLegacy: true).Verify(new MemoryStream(File.ReadAllBytes(_manifest)), signature));
    }

    [Fact]
    public void SeveralKeysMayBeTrustedSoAPublisherCanRotate()
    {
        var next = _minisign.CreateKey("next");
        var ring = TrustedKeyRing.Load(Path.GetDirectoryName(next)!);

        var signature = _minisign.Sign("next", _manifest, "bundle models 7");

        Assert.Equal(2, ring.Keys.Count);
        Assert.IsType<SignatureCheck.Valid>(new MinisignVerifier(ring, false).Verify(new MemoryStream(File.ReadAllBytes(_manifest)), File.ReadAllBytes(signature)));
    }

    [Theory]
    [InlineData("three lines")]
    [InlineData("crlf")]
    [InlineData("huge comment")]
    [InlineData("not base64")]
    [InlineData("empty")]
    public void AMalformedSignatureFileIsRefusedAsMalformed(string shape)
    {
        var lines = SignatureLines();
        var file = shape switch
        {
            "three lines" => Join(lines[..3]),
            "crlf" => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"),
            "huge comment" => Join([new string('x', 10_000), .. lines[1..]]),
            "not base64" => Join([lines[0], "!!" + lines[1][2..], lines[2], lines[3]]),
            _ => [],
        };

        AssertRefused(SignatureErrors.Malformed, Verify(File.ReadAllBytes(_manifest), file));
    }

    [Fact]
    public void FilesInTheKeyFolderThatAreNotKeysAreReportedNotTrusted()
    {
        _minisign.WriteFile("broken.pub", "untrusted comment: x\nnot-a-key\n");

        var ring = TrustedKeyRing.Load(_minisign.Folder);

        Assert.Single(ring.Keys);
        Assert.Contains(ring.Problems, p => p.Contains("broken.pub", StringComparison.Ordinal));
    }

    public void Dispose() => _minisign.Dispose();

    private SignatureCheck Verify(byte[] content, byte[] signature) => new MinisignVerifier(_trusted, allowLegacy: false).Verify(new MemoryStream(content), signature);

    private string[] SignatureLines() => File.ReadAllText(_minisign.Sign("publisher", _manifest, "bundle models 7")).TrimEnd('\n').Split('\n');

    private static byte[] Join(string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    private static void AssertRefused(string code, SignatureCheck check) => Assert.Equal(code, Assert.IsType<SignatureCheck.Refused>(check).Code);
}
