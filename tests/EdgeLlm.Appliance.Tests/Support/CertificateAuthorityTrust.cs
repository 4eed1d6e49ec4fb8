using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// How a client on the site trusts an appliance: the server's certificate must name the address asked for and
/// chain to the one CA it was given, whatever the machine's own trust store holds.
/// </summary>
internal static class CertificateAuthorityTrust
{
    public static SocketsHttpHandler Handler(string caFile, bool followRedirects = true)
    {
        var authority = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(authority, certificate, errors) },
        };
    }

    private static bool ChainsTo(X509Certificate2 authority, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is not X509Certificate2 leaf || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
