using System.Text.Json;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.ServiceDefaults.Tests;

public sealed class ChinaTimeTests
{
    [Fact]
    public void An_instant_between_midnight_and_eight_in_China_falls_on_the_China_day_not_the_UTC_one()
    {
        var revoked = new DateTimeOffset(2026, 12, 6, 17, 30, 0, TimeSpan.Zero);   // 01:30 on 7 December in China

        Assert.Equal(new DateOnly(2026, 12, 7), ChinaTime.DateOf(revoked));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(8)), ChinaTime.StartOf(new DateOnly(2026, 12, 7)));
    }

    [Fact]
    public void Times_are_written_with_plus_eight_and_read_with_any_offset()
    {
        var options = new JsonSerializerOptions { Converters = { new ChinaTimeJsonConverter() } };
        var due = new DateTimeOffset(2026, 12, 9, 16, 0, 0, TimeSpan.Zero);

        var json = JsonSerializer.Serialize(new { statutoryDueAt = due, acceptedAt = (DateTimeOffset?)due }, options);

        Assert.Equal("""{"statutoryDueAt":"2026-12-10T00:00:00+08:00","acceptedAt":"2026-12-10T00:00:00+08:00"}""", json);
        Assert.Equal(due, JsonSerializer.Deserialize<DateTimeOffset>("\"2026-12-09T16:00:00Z\"", options));
    }
}
