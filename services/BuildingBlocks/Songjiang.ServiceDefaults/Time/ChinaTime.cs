using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Songjiang.ServiceDefaults.Time;

/// <summary>
/// China Standard Time (UTC+8, no daylight saving since 1991): every date the platform shows or takes is a calendar
/// day here, and every time it shows carries <c>+08:00</c>.
/// </summary>
public static class ChinaTime
{
    /// <summary>UTC+8.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The instant as China time (<c>+08:00</c>).</summary>
    public static DateTimeOffset InChina(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The China calendar day of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>Today in China.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The first instant of a China calendar day.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>Same as <see cref="InChina"/>.</summary>
    public static DateTimeOffset Of(DateTimeOffset instant) => InChina(instant);

    /// <summary>A calendar day as people read it: 2026年12月8日.</summary>
    public static string Day(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>The China calendar day of an instant as people read it.</summary>
    public static string Day(DateTimeOffset instant) => Day(DateOf(instant));

    /// <summary>A deadline set at local midnight reads as the day before ("by the end of 8 December").</summary>
    public static string DeadlineDay(DateTimeOffset dueAt) => Day(dueAt.AddTicks(-1));

    /// <summary>A time as people read it, in China time: 2026-12-08 14:30.</summary>
    public static string Minute(DateTimeOffset instant) => InChina(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>Writes every <see cref="DateTimeOffset"/> in China time (<c>+08:00</c>); reads any offset.</summary>
public sealed class ChinaTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        // Raw, so the default encoder does not write the '+' of the offset as \u002B; the text is digits and ISO 8601 signs only.
        writer.WriteRawValue($"\"{ChinaTime.InChina(value).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)}\"", skipInputValidation: true);
}
