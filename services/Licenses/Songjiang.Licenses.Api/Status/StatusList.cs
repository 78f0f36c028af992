using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Songjiang.Licenses.Api.Status;

/// <summary>
/// A W3C Bitstring Status List (https://www.w3.org/TR/vc-bitstring-status-list/): one bit per index, index 0 the
/// most significant bit of the first byte, GZIP-compressed and encoded as multibase base64url (prefix <c>u</c>,
/// no padding). A set bit means the licence at that index has the list's status.
/// </summary>
public sealed class StatusList
{
    private readonly byte[] _bits;

    /// <summary>An empty list of <paramref name="size"/> entries (a multiple of 8).</summary>
    public StatusList(int size)
    {
        if (size <= 0 || size % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The size must be a positive multiple of 8.");
        }
        _bits = new byte[size / 8];
    }

    private StatusList(byte[] bits) => _bits = bits;

    /// <summary>Number of entries.</summary>
    public int Size => _bits.Length * 8;

    /// <summary>Sets or clears an entry.</summary>
    public void Set(int index, bool value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
        var mask = (byte)(0x80 >> (index % 8));
        _bits[index / 8] = value ? (byte)(_bits[index / 8] | mask) : (byte)(_bits[index / 8] & ~mask);
    }

    /// <summary>Reads an entry.</summary>
    public bool Get(int index) => (_bits[index / 8] & (0x80 >> (index % 8))) != 0;

    /// <summary>The <c>encodedList</c> value: <c>u</c> + base64url(GZIP(bitstring)).</summary>
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(_bits);
        }
        return "u" + Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>A strong validator for HTTP caching: a hash of the uncompressed bits.</summary>
    public string ETag() => "\"" + Base64Url.EncodeToString(SHA256.HashData(_bits).AsSpan(0, 18)) + "\"";

    /// <summary>
    /// Reads an <c>encodedList</c> value back (what a verifier does); a list that decompresses to more than
    /// <paramref name="maxBytes"/> bytes, or to none, is refused (<see cref="InvalidDataException"/>).
    /// </summary>
    public static StatusList Decode(string encodedList, int maxBytes = int.MaxValue)
    {
        if (!encodedList.StartsWith('u'))
        {
            throw new FormatException("An encodedList is multibase base64url and starts with 'u'.");
        }
        using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encodedList.AsSpan(1))), CompressionMode.Decompress);
        using var bits = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = gzip.Read(chunk)) > 0)
        {
            if (bits.Length + read > maxBytes)
            {
                throw new InvalidDataException($"The status list decompresses to more than {maxBytes} bytes.");
            }
            bits.Write(chunk, 0, read);
        }
        return bits.Length > 0 ? new StatusList(bits.ToArray()) : throw new InvalidDataException("The status list is empty.");
    }
}
