using Songjiang.Licenses.Api.Status;
using System.Buffers.Text;
using System.IO.Compression;

namespace Songjiang.Licenses.Tests.Status;

public sealed class StatusListTests
{
    [Fact]
    public void Index_zero_is_the_most_significant_bit_of_the_first_byte()
    {
        var list = new StatusList(16);
        list.Set(0, true);
        list.Set(9, true);

        var encoded = list.Encode();

        Assert.StartsWith("u", encoded, StringComparison.Ordinal);
        using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encoded.AsSpan(1))), CompressionMode.Decompress);
        using var bits = new MemoryStream();
        gzip.CopyTo(bits);
        Assert.Equal(new byte[] { 0x80, 0x40 }, bits.ToArray());
    }

    [Fact]
    public void A_list_decodes_to_the_bits_that_were_set_and_its_etag_follows_them()
    {
        var list = new StatusList(131_072);
        var before = list.ETag();
        list.Set(131_071, true);
        list.Set(42, true);

        var decoded = StatusList.Decode(list.Encode());

        Assert.True(decoded.Get(42));
        Assert.True(decoded.Get(131_071));
        Assert.False(decoded.Get(43));
        Assert.Equal(131_072, decoded.Size);
        Assert.NotEqual(before, list.ETag());
        list.Set(42, false);
        list.Set(131_071, false);
        Assert.Equal(before, list.ETag());
    }
}
