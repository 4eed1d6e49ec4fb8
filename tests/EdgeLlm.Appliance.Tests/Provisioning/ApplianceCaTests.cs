using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeLlm.Appliance.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Provisioning;

/// <summary>
/// The CA provisioning makes for an appliance is installed by its clients while its key stays on the device, so it
/// may vouch only for the appliance's own names and addresses (a critical nameConstraints extension): whoever takes
/// the device cannot mint a certificate those clients accept for another host. Checked as a client checks it,
/// with .NET's X509Chain trusting that CA alone.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class ApplianceCaTests(ApplianceFixture appliance)
{
    private const string NameConstraintsOid = "2.5.29.30";

    private string Tls => Path.Combine(appliance.NativeRoot, "etc", "edgellm", "tls");

    [Fact]
    public void TheCaCarriesCriticalNameConstraints()
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Tls, "ca.crt")));

        var constraints = ca.Extensions[NameConstraintsOid];

        Assert.NotNull(constraints);
        Assert.True(constraints.Critical);
    }

    [Fact]
    public void TheProvisionedServerCertificateChainsToTheConstrainedCa()
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Tls, "ca.crt")));
        using var server = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Tls, "server.crt")));

        var (valid, status) = Validate(server, ca);

        Assert.True(valid, status.ToString());
    }

    [Theory]
    [InlineData("DNS", "bank.example.com")]
    [InlineData("DNS", "login.example.net")]
    [InlineData("IP", "203.0.113.7")]
    [InlineData("IP", "2001:db8::7")]
    public void ACertificateTheCaSignsForAnotherHostFailsValidationOnTheNameConstraint(string kind, string name)
    {
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(Tls, "ca.crt"), Path.Combine(Tls, "ca.key"));
        using var forged = Issue(ca, kind, name);

        var (valid, status) = Validate(forged, ca);

        Assert.False(valid);
        Assert.True(status.HasFlag(X509ChainStatusFlags.HasNotPermittedNameConstraint), status.ToString());
    }

    [Theory]
    [InlineData("DNS", "localhost")]
    [InlineData("IP", "127.0.0.1")]
    [InlineData("IP", "::1")]
    public void ACertificateTheCaSignsForTheAppliancesOwnNameValidates(string kind, string name)
    {
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(Tls, "ca.crt"), Path.Combine(Tls, "ca.key"));
        using var own = Issue(ca, kind, name);

        var (valid, status) = Validate(own, ca);

        Assert.True(valid, status.ToString());
    }

    [Fact]
    public async Task AServerCertificateReissuedForANameTheCaDoesNotCoverComesWithANewCaThatCoversIt()
    {
        var root = Path.Combine(appliance.Scratch, "reissue-new-name");
        var tls = Path.Combine(root, "etc", "edgellm", "tls");
        string[] container = ["--prefix", root, "--mode", "container", "--image", "edgellm:9.8.7-cpu", "--gpu", "none"];
        var first = await ApplianceFixture.ProvisionAsync(container);
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstCa = await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt"));
        File.Delete(Path.Combine(tls, "server.crt"));

        var second = await ApplianceFixture.ProvisionAsync([.. container, "--allowed-host", "edge-9.plant.lan"]);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("making a new CA, which clients must be given", second.StandardOutput, StringComparison.Ordinal);
        var secondCa = await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt"));
        Assert.NotEqual(firstCa, secondCa);
        using var ca = X509Certificate2.CreateFromPem(secondCa);
        using var server = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(tls, "server.crt")));
        Assert.Contains("edge-9.plant.lan", server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        var (valid, status) = Validate(server, ca);
        Assert.True(valid, status.ToString());
    }

    /// <summary>A server certificate for one name or address, signed by <paramref name="ca"/> as provisioning signs the API's.</summary>
    private static X509Certificate2 Issue(X509Certificate2 ca, string kind, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=EdgeLlm API test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (kind == "IP")
        {
            names.AddIpAddress(IPAddress.Parse(name));
        }
        else
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return request.Create(ca, ca.NotBefore, DateTimeOffset.UtcNow.AddDays(30), serial);
    }

    /// <summary>As a client that was given ca.crt: a chain to it alone, whatever the machine trusts.</summary>
    private static (bool Valid, X509ChainStatusFlags Status) Validate(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        var valid = chain.Build(leaf);
        return (valid, chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status));
    }
}
