using System.Globalization;

namespace Songjiang.Notifications.Api.Application;

/// <summary>Dates and times as users in China read them.</summary>
public static class ChinaTime
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>The instant in China time (+08:00).</summary>
    public static DateTimeOffset Of(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>A calendar day: 2026年12月8日.</summary>
    public static string Day(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>The China calendar day of an instant.</summary>
    public static string Day(DateTimeOffset instant) => Day(DateOnly.FromDateTime(Of(instant).DateTime));

    /// <summary>A deadline set at local midnight reads as the day before ("by the end of 8 December").</summary>
    public static string DeadlineDay(DateTimeOffset dueAt) => Day(dueAt.AddTicks(-1));
}
