using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// TLS to the broker: the server's certificate must chain to <c>CaCertificateFile</c> alone when it is set
/// (the fleet's own CA, not every public one), or to the system's CAs; its name must match the host either
/// way. A client certificate is offered when configured.
/// </summary>
internal static class BrokerTls
{
    public static Action<MqttClientTlsOptionsBuilder> Configure(TelemetryOptions options)
    {
        var ca = string.IsNullOrEmpty(options.CaCertificateFile) ? null : X509CertificateLoader.LoadCertificateFromFile(options.CaCertificateFile);
        var client = string.IsNullOrEmpty(options.ClientCertificateFile) ? null : LoadClientCertificate(options.ClientCertificateFile, options.ClientKeyFile!);
        return tls =>
        {
            tls.UseTls().WithTargetHost(options.BrokerHost);
            if (client is not null)
            {
                tls.WithClientCertificates([client]);
            }

            if (ca is not null)
            {
                tls.WithCertificateValidationHandler(e => IsTrusted(e.Certificate, e.SslPolicyErrors, ca));
            }
        };
    }

    /// <summary>True when <paramref name="presented"/> chains to <paramref name="ca"/> and nothing but the root's trust was wrong.</summary>
    public static bool IsTrusted(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // SslStream wants the key in a form it can use for the handshake on every platform: a PKCS#12 round trip.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
