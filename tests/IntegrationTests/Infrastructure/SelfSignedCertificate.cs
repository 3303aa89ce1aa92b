using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>A self-signed server certificate for 127.0.0.1, written as PEM files (what --tls-cert/--tls-key and restic's --cacert take).</summary>
internal static class SelfSignedCertificate
{
    public static (string CertFile, string KeyFile) WritePem(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));

        var certFile = Path.Combine(directory, "public_key");
        var keyFile = Path.Combine(directory, "private_key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }

    /// <summary>The SHA-1 thumbprint of the certificate in <paramref name="certFile"/> (what a test client pins).</summary>
    public static string Thumbprint(string certFile)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certFile);
        return certificate.Thumbprint;
    }
}
