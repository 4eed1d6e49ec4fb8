using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace EdgeLlm.Updates.Signing;

/// <summary>
/// Verifies a minisign signature the way <c>minisign -V</c> does: the key id must be trusted, the signature
/// must verify over the BLAKE2b-512 of the content (<c>ED</c>; the legacy <c>Ed</c> over the content itself only
/// when allowed), and the global signature must verify over the signature and the trusted comment, so the
/// comment (which carries the bundle's identity) cannot be swapped either.
/// <para>
/// BouncyCastle rather than NSec: it is managed code only, so the same verifier runs on x86-64 and on a
/// Jetson without a native libsodium to build, ship and keep patched, and it has BLAKE2b-512.
/// </para>
/// </summary>
public sealed class MinisignVerifier(TrustedKeyRing keys, bool allowLegacy)
{
    /// <summary>Largest content a legacy (not prehashed) signature is checked over; it must be held in memory.</summary>
    public const int MaxLegacyContentBytes = 1 << 20;

    public SignatureCheck Verify(Stream content, ReadOnlySpan<byte> signatureFile)
    {
        var signature = MinisignSignature.TryParse(signatureFile, out var malformed);
        if (signature is null)
        {
            return new SignatureCheck.Refused(SignatureErrors.Malformed, "The signature file is malformed: " + malformed + ".");
        }

        var key = keys.Find(signature.KeyId);
        if (key is null)
        {
            return new SignatureCheck.Refused(SignatureErrors.UnknownKey,
                $"Signed with key {signature.KeyId:X16}, which is not among the trusted keys.");
        }

        if (!signature.Prehashed && !allowLegacy)
        {
            return new SignatureCheck.Refused(SignatureErrors.LegacyAlgorithm,
                "Signed with minisign's legacy algorithm (Ed, not prehashed); sign with a current minisign or allow legacy signatures.");
        }

        var message = signature.Prehashed ? Blake2b512(content) : ReadAll(content);
        if (message is null)
        {
            return new SignatureCheck.Refused(SignatureErrors.Malformed, $"Content signed with the legacy algorithm must be at most {MaxLegacyContentBytes} bytes.");
        }

        if (!Ed25519Verify(key.Key, message, signature.Signature))
        {
            return new SignatureCheck.Refused(SignatureErrors.Invalid, "The signature does not match the content.");
        }

        var global = signature.Signature.Concat(Encoding.UTF8.GetBytes(signature.TrustedComment)).ToArray();
        return Ed25519Verify(key.Key, global, signature.GlobalSignature)
            ? new SignatureCheck.Valid(key, signature.TrustedComment)
            : new SignatureCheck.Refused(SignatureErrors.TrustedCommentInvalid, "The trusted comment or its global signature was altered.");
    }

    private static bool Ed25519Verify(byte[] publicKey, byte[] message, byte[] signature)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey));
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }

    private static byte[] Blake2b512(Stream content)
    {
        var digest = new Blake2bDigest(512);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            digest.BlockUpdate(buffer, 0, read);
        }

        var hash = new byte[64];
        digest.DoFinal(hash, 0);
        return hash;
    }

    private static byte[]? ReadAll(Stream content)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (memory.Length + read > MaxLegacyContentBytes)
            {
                return null;
            }

            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }
}

/// <summary>How a signature check ended: valid with the key and trusted comment, or refused with a stable code.</summary>
public abstract record SignatureCheck
{
    public sealed record Valid(MinisignPublicKey Key, string TrustedComment) : SignatureCheck;

    public sealed record Refused(string Code, string Message) : SignatureCheck;
}

/// <summary>Stable codes of a refused signature.</summary>
public static class SignatureErrors
{
    public const string Malformed = "signature_malformed";
    public const string UnknownKey = "signature_unknown_key";
    public const string LegacyAlgorithm = "signature_legacy_algorithm";
    public const string Invalid = "signature_invalid";
    public const string TrustedCommentInvalid = "signature_trusted_comment_invalid";
}
