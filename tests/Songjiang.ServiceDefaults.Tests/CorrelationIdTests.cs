using Songjiang.ServiceDefaults.Correlation;

namespace Songjiang.ServiceDefaults.Tests;

public sealed class CorrelationIdTests
{
    [Fact]
    public void Well_formed_client_id_is_kept()
    {
        Assert.Equal("case-2026:000123", CorrelationId.Resolve("case-2026:000123", traceparent: null));
    }

    [Fact]
    public void Without_an_id_the_trace_id_of_traceparent_is_used()
    {
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736",
            CorrelationId.Resolve(null, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("<script>")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void Malformed_or_long_ids_are_replaced(string supplied)
    {
        var id = CorrelationId.Resolve(supplied, traceparent: null);

        Assert.NotEqual(supplied, id);
        Assert.True(CorrelationId.IsWellFormed(id));
    }
}
