using System.Globalization;
using Microsoft.Extensions.Localization;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Portal.Components.Shared;

/// <summary>How the portal writes dates, times and coded values: China time, Chinese names, never raw codes.</summary>
public static class Show
{
    private static readonly CultureInfo Chinese = new("zh-CN");

    /// <summary>A moment in China time, with its offset: 2026-12-07 09:41 (+08:00).</summary>
    public static string Time(DateTimeOffset? at) => at is { } value
        ? TimeZoneInfo.ConvertTime(value, WorkingDayCalendar.China.TimeZone).ToString("yyyy-MM-dd HH:mm '(+08:00)'", Chinese)
        : "—";

    /// <summary>A China calendar day: 2026年12月7日.</summary>
    public static string Day(DateTimeOffset? at) => at is { } value
        ? TimeZoneInfo.ConvertTime(value, WorkingDayCalendar.China.TimeZone).ToString("yyyy年M月d日", Chinese)
        : "—";

    /// <summary>A calendar day: 2026年12月7日.</summary>
    public static string Day(DateOnly? day) => day?.ToString("yyyy年M月d日", Chinese) ?? "长期";

    /// <summary>A coded value by its resource name (<c>Status.under-review</c> → 审查中), the code itself never shown raw.</summary>
    public static string Name(this IStringLocalizer localizer, string group, string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "—";
        }
        var found = localizer[$"{group}.{code}"];
        return found.ResourceNotFound ? localizer["Common.Other"] : found.Value;
    }

    /// <summary>An amount of yuan: 50万元.</summary>
    public static string Yuan(decimal? amount) => amount switch
    {
        null => "—",
        >= 10000 => (amount.Value / 10000).ToString("0.##", Chinese) + "万元",
        _ => amount.Value.ToString("0.##", Chinese) + "元",
    };

    /// <summary>The colour of a remaining-working-days indicator: green, amber (≤ 1 day) or red (overdue).</summary>
    public static string Urgency(int? remaining, bool overdue) =>
        overdue || remaining < 0 ? "red" : remaining <= 1 ? "amber" : "green";
}
