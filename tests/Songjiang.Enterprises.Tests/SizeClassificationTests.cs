using Songjiang.Enterprises.Api.Domain;

namespace Songjiang.Enterprises.Tests;

public sealed class SizeClassificationTests
{
    [Theory]
    [InlineData("C2710", 1200, 50000, SizeClass.Large)]     // manufacturing: both bounds met
    [InlineData("C2710", 1200, 30000, SizeClass.Medium)]    // revenue short of large: one step down
    [InlineData("C2710", 420, 52000, SizeClass.Medium)]
    [InlineData("C2710", 15, 5000, SizeClass.Micro)]        // fewer than 20 employees
    [InlineData("I6513", 86, 6800, SizeClass.Small)]        // software: medium needs 100 employees
    [InlineData("I6513", 100, 1000, SizeClass.Medium)]
    [InlineData("I6513", 9, 5000, SizeClass.Micro)]
    [InlineData("F5211", 60, 600, SizeClass.Medium)]        // retail
    [InlineData("A0111", 3, 600, SizeClass.Medium)]         // agriculture: revenue only
    [InlineData("M7320", 150, 0, SizeClass.Medium)]         // other industries: headcount only
    public void Size_class_follows_the_2017_statistical_rule(string industry, int employees, decimal revenue, SizeClass expected)
    {
        Assert.Equal(expected, SizeClassification.Classify(industry, employees, revenue));
    }
}
