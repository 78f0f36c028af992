using System.Security.Cryptography;
using System.Text;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>
/// Benefit offer ids derived from enterprise, policy and version (a name-based UUID, RFC 9562 version 5), so every
/// redelivery or repeated offer of one benefit carries the same id and the cases service opens one case.
/// </summary>
public static class OfferIds
{
    private static readonly Guid Namespace = new("5b0c2f4e-7a1d-4d5e-9c61-0a3f60e11701");

    /// <summary>The offer id.</summary>
    public static Guid For(string uscc, Guid policyId, int version)
    {
        var name = Encoding.UTF8.GetBytes($"{uscc}|{policyId:N}|{version}");
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 names; it is not used for security here.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
