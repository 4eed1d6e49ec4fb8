using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeLlm.Testing;

/// <summary>
/// A throw-away CA, a server certificate it signed for 127.0.0.1 and localhost, and a client certificate it
/// signed (for mutual TLS), written as PEM files for Mosquitto and the device.
/// </summary>
internal static class TestCertificates
{
    /// <summary>Writes <c>{prefix}ca.pem</c>, <c>{prefix}server.pem</c>, <c>{prefix}server.key</c>, <c>{prefix}client.pem</c> and <c>{prefix}client.key</c> under <paramref name="folder"/>.</summary>
    public static (string CaFile, string CertFile, string KeyFile) Create(string folder, string prefix = "")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=EdgeLlm test CA {prefix}{Guid.NewGuid():N}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=edgellm-device", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(Path.Combine(folder, prefix + "client.pem"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, prefix + "client.key"), clientKey.ExportPkcs8PrivateKeyPem());

        var files = (Path.Combine(folder, prefix + "ca.pem"), Path.Combine(folder, prefix + "server.pem"), Path.Combine(folder, prefix + "server.key"));
        File.WriteAllText(files.Item1, ca.ExportCertificatePem());
        File.WriteAllText(files.Item2, server.ExportCertificatePem());
        File.WriteAllText(files.Item3, serverKey.ExportPkcs8PrivateKeyPem());
        return files;
    }
}
