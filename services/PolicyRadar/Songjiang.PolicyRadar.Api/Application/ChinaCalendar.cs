namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>Policies speak in Beijing-time dates.</summary>
public static class ChinaCalendar
{
    private static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Today in Beijing time.</summary>
    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), ChinaTime).DateTime);
}
