using Songjiang.Licenses.Api.Canonical;
using System.Text;

namespace Songjiang.Licenses.Tests.Canonical;

public sealed class JsonCanonicalizerTests
{
    private const string Rfc8785Input = """
        {
          "numbers": [333333333.33333329, 1E30, 4.50,
                      2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """;

    private static string Canonical(string json) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(json));

    [Fact]
    public void Rfc8785_section_3_2_2_example_canonicalises_to_the_published_output()
    {
        Assert.Equal(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
            Canonical(Rfc8785Input));
    }

    [Fact]
    public void Rfc8785_section_3_2_4_utf8_bytes_match_the_published_hex()
    {
        const string hex = "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72"
            + " 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a"
            + " 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31"
            + " 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37"
            + " 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30"
            + " 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";

        Assert.Equal(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), JsonCanonicalizer.Canonicalize(Rfc8785Input));
    }

    [Fact]
    public void Rfc8785_section_3_2_3_sorts_member_names_by_utf16_code_units()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\","
            + "\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            Canonical(input));
    }

    // RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serialisation.
    [Theory]
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void Numbers_serialise_as_ecmascript_does(ulong bits, string expected)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);

        Assert.Equal(expected, EcmaScriptNumber.ToString(value));
        // The same through a JSON text, where the digits come from the round-trip form.
        Assert.Equal(expected, Canonical(EcmaScriptNumber.ToString(value)));
    }

    [Fact]
    public void Nan_and_infinity_have_no_canonical_form()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EcmaScriptNumber.ToString(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => EcmaScriptNumber.ToString(double.PositiveInfinity));
        Assert.Throws<JsonCanonicalizationException>(() => JsonCanonicalizer.Canonicalize("[1e400]"));
    }

    [Fact]
    public void Member_order_and_whitespace_do_not_change_the_canonical_form()
    {
        Assert.Equal(Canonical("{\"b\":[1,{\"y\":2,\"x\":1}],\"a\":\"文\"}"), Canonical("{ \"a\" : \"文\",\n \"b\" : [ 1.0, { \"x\":1, \"y\":2e0 } ] }"));
    }

    [Fact]
    public void Duplicate_member_names_and_lone_surrogates_are_refused()
    {
        Assert.Throws<JsonCanonicalizationException>(() => JsonCanonicalizer.Canonicalize("{\"a\":1,\"a\":2}"));
        Assert.Throws<JsonCanonicalizationException>(() => JsonCanonicalizer.Canonicalize("[\"\\ud800\"]"));
        Assert.Throws<JsonCanonicalizationException>(() => JsonCanonicalizer.Canonicalize("{not json"));
    }
}
