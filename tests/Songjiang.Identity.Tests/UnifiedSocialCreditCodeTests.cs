using Songjiang.SharedKernel;

namespace Songjiang.Identity.Tests;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    [InlineData("914403001922038216")] // published codes of large companies
    [InlineData("91330100716105852F")]
    [InlineData("9144030071526726XG")]
    [InlineData("91310117MA1J3GKL0Q")] // the demo enterprises
    [InlineData("91310117MA1H8BXR2W")]
    public void Valid_codes_parse(string text)
    {
        Assert.True(UnifiedSocialCreditCode.TryParse(text, out var code, out var error), error);
        Assert.Equal(text, code.Value.Value);
    }

    [Fact]
    public void Lower_case_and_surrounding_spaces_are_normalised()
    {
        var code = UnifiedSocialCreditCode.Parse("  91310117ma1j3gkl0q ");

        Assert.Equal("91310117MA1J3GKL0Q", code.Value);
        Assert.Equal("310117", code.DivisionCode);
    }

    [Theory]
    [InlineData("91310117MA1J3GKL0A", "check character")]
    [InlineData("914403001922038217", "check character")]
    [InlineData("91310117MA1J3GKL0", "18 characters")]
    [InlineData("91310117MA1J3GKL0QQ", "18 characters")]
    [InlineData("", "18 characters")]
    [InlineData("91310117MA1J3GKI0Q", "not allowed")] // I is never used
    [InlineData("91310117MA1J3GKO0Q", "not allowed")] // nor O
    [InlineData("91310117MA1J3GK-0Q", "not allowed")]
    [InlineData("9131A117MA1J3GKL0Q", "division code")]
    public void Invalid_codes_are_rejected_with_the_reason(string text, string reason)
    {
        Assert.False(UnifiedSocialCreditCode.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_character_of_a_known_code_is_computed()
    {
        Assert.Equal('6', UnifiedSocialCreditCode.CheckCharacter("91440300192203821"));
        Assert.Equal('F', UnifiedSocialCreditCode.CheckCharacter("91330100716105852"));
    }

    [Fact]
    public void Codes_from_the_register_sequence_are_valid_distinct_market_regulation_codes_of_the_division()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        for (long serial = 0; serial < 5000; serial++)
        {
            if (UnifiedSocialCreditCode.ForEnterprise("310117", serial) is not { } code)
            {
                skipped++;
                continue;
            }
            Assert.True(UnifiedSocialCreditCode.TryParse(code.Value, out _, out var error), error);
            Assert.StartsWith("91310117MA", code.Value, StringComparison.Ordinal);
            Assert.Equal("310117", code.DivisionCode);
            Assert.True(seen.Add(code.Value), $"serial {serial} repeats {code.Value}");
        }
        Assert.InRange(skipped, 1, 1000); // about one serial in eleven has the organisation check 'X'
        Assert.Equal(UnifiedSocialCreditCode.ForEnterprise("310117", 42), UnifiedSocialCreditCode.ForEnterprise("310117", 42));
    }
}
