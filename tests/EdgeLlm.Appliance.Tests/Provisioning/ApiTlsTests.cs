using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EdgeLlm.Appliance.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Provisioning;

/// <summary>
/// The LAN API is encrypted by default: provisioning makes a CA for the appliance and a server certificate for
/// the names and addresses clients use, keeps both on a rerun, and prints what clients must trust; the
/// operator's own certificate replaces them; plain HTTP on the LAN needs an explicit --insecure-http.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class ApiTlsTests(ApplianceFixture appliance)
{
    private string Tls => Path.Combine(appliance.NativeRoot, "etc", "edgellm", "tls");

    [Fact]
    public void TheServerCertificateChainsToTheAppliancesCaAndNamesEveryAllowedHostAndLoopback()
    {
        using var ca = Certificate(Path.Combine(Tls, "ca.crt"));
        using var server = Certificate(Path.Combine(Tls, "server.crt"));
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(appliance.NativeRoot, "etc", "edgellm", "edgellm.json")));
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.Add(ca);

        Assert.True(chain.Build(server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var granted = names.EnumerateDnsNames().Concat(names.EnumerateIPAddresses().Select(a => a.ToString())).ToList();
        var allowed = settings.RootElement.GetProperty("Api").GetProperty("AllowedHosts").EnumerateArray().Select(h => h.GetString()!.Trim('[', ']'));
        Assert.All(allowed.Append("::1"), name => Assert.Contains(name, granted));
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(server.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }

    [Fact]
    public void BothRunsPrintTheFingerprintOfTheSameCaForClients()
    {
        using var ca = Certificate(Path.Combine(Tls, "ca.crt"));
        var fingerprint = string.Join(':', Convert.ToHexString(SHA256.HashData(ca.RawData)).Chunk(2).Select(pair => new string(pair)));

        Assert.Contains("/etc/edgellm/tls/ca.crt", appliance.FirstProvisioning.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(fingerprint, appliance.FirstProvisioning.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(fingerprint, appliance.SecondProvisioning.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerCertificateTheOperatorRemovedIsIssuedAgainByTheSameCaSoClientsKeepTrustingIt()
    {
        var root = Path.Combine(appliance.Scratch, "reissue");
        var tls = Path.Combine(root, "etc", "edgellm", "tls");
        Assert.True((await ContainerAsync(root)).ExitCode == 0);
        var ca = await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt"));
        var first = await File.ReadAllTextAsync(Path.Combine(tls, "server.crt"));
        File.Delete(Path.Combine(tls, "server.crt"));

        var result = await ContainerAsync(root);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(ca, await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt")));
        var second = await File.ReadAllTextAsync(Path.Combine(tls, "server.crt"));
        Assert.NotEqual(first, second);
        using var authority = X509Certificate2.CreateFromPem(ca);
        using var server = X509Certificate2.CreateFromPem(second);
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        Assert.True(chain.Build(server));
    }

    [Fact]
    public async Task PlainHttpOnTheLanIsRefusedWithoutInsecureHttpBeforeAnythingIsWritten()
    {
        var root = Path.Combine(appliance.Scratch, "lan-http-refused");

        var result = await ContainerAsync(root, "--listen", "http://0.0.0.0:8080");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--insecure-http", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "edgellm")));
    }

    [Fact]
    public async Task WithInsecureHttpTheLanAddressIsPlainAndNoCertificateOrCredentialIsMade()
    {
        var root = Path.Combine(appliance.Scratch, "lan-http");

        var result = await ContainerAsync(root, "--listen", "http://0.0.0.0:8080", "--insecure-http");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var settings = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "etc", "edgellm", "edgellm.json")));
        var api = settings.RootElement.GetProperty("Api");
        Assert.Equal("http://0.0.0.0:8080", api.GetProperty("Urls").GetString());
        Assert.False(api.TryGetProperty("TlsCertificateFile", out _));
        Assert.False(api.TryGetProperty("TlsKeyFile", out _));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "etc", "edgellm", "tls")));
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "systemd", "system", "edgellm-container.service.d")));
    }

    [Fact]
    public async Task TheOperatorsCertificateIsServedWithItsKeyAsACredentialAndNoCaIsMade()
    {
        var root = Path.Combine(appliance.Scratch, "operator-tls");
        var (certificate, key) = await OperatorCertificateAsync("operator");

        var result = await ContainerAsync(root, "--tls-cert", certificate, "--tls-key", key);

        Assert.True(result.ExitCode == 0, result.ToString());
        var tls = Path.Combine(root, "etc", "edgellm", "tls");
        Assert.Equal(await File.ReadAllTextAsync(certificate), await File.ReadAllTextAsync(Path.Combine(tls, "server.crt")));
        Assert.Equal(await File.ReadAllTextAsync(key), await File.ReadAllTextAsync(Path.Combine(root, "etc", "edgellm", "credentials", "api-tls-key")));
        Assert.False(File.Exists(Path.Combine(tls, "ca.crt")));
        Assert.Contains("LoadCredential=api-tls-key:/etc/edgellm/credentials/api-tls-key",
            await File.ReadAllLinesAsync(Path.Combine(root, "etc", "systemd", "system", "edgellm-container.service.d", "credentials.conf")));
        using var served = Certificate(certificate);
        Assert.Contains(served.GetCertHashString(HashAlgorithmName.SHA256), result.StandardOutput.Replace(":", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyThatDoesNotBelongToTheCertificateIsRefusedBeforeAnythingIsWritten()
    {
        var root = Path.Combine(appliance.Scratch, "mismatched-tls");
        var (certificate, _) = await OperatorCertificateAsync("first");
        var (_, otherKey) = await OperatorCertificateAsync("second");

        var result = await ContainerAsync(root, "--tls-cert", certificate, "--tls-key", otherKey);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("is not the private key of", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "edgellm")));
    }

    private static X509Certificate2 Certificate(string pemFile) => X509Certificate2.CreateFromPem(File.ReadAllText(pemFile));

    /// <summary>A container appliance: no daemon to copy or run, so only the settings and files are made.</summary>
    private static Task<EdgeLlm.EndToEnd.Tests.Support.CommandResult> ContainerAsync(string root, params string[] arguments) =>
        ApplianceFixture.ProvisionAsync(["--prefix", root, "--mode", "container", "--image", "edgellm:9.8.7-cpu", "--gpu", "none", .. arguments]);

    private async Task<(string Certificate, string Key)> OperatorCertificateAsync(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=edge-7.plant.lan {name}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        var folder = Directory.CreateDirectory(Path.Combine(appliance.Scratch, "operator-" + name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var files = (Path.Combine(folder, "server.crt"), Path.Combine(folder, "server.key"));
        await File.WriteAllTextAsync(files.Item1, certificate.ExportCertificatePem() + "\n");
        await File.WriteAllTextAsync(files.Item2, key.ExportPkcs8PrivateKeyPem() + "\n");
        return files;
    }
}
