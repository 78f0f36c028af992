using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>
/// Dates in request bodies must lie between <see cref="MinYear"/> and <see cref="MaxYear"/>: a year-9999 date is
/// legal in .NET but overflows the first <c>AddYears</c> or <c>AddDays</c> a handler does with it, and no licence, policy
/// or case of this platform is dated outside that range. The binder answers 400 naming the field.
/// </summary>
public static class BoundedDates
{
    /// <summary>The earliest year accepted.</summary>
    public const int MinYear = 1900;

    /// <summary>The latest year accepted.</summary>
    public const int MaxYear = 2199;

    /// <summary>Adds the converters to <paramref name="options"/>.</summary>
    public static void AddTo(JsonSerializerOptions options)
    {
        options.Converters.Add(new DateOnlyConverter());
        options.Converters.Add(new DateTimeOffsetConverter());
    }

    private static JsonException OutOfRange() => new($"日期须在 {MinYear} 年至 {MaxYear} 年之间。");

    private sealed class DateOnlyConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String
                || !DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new JsonException("日期应写成 yyyy-MM-dd。");
            }
            return date.Year is >= MinYear and <= MaxYear ? date : throw OutOfRange();
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private sealed class DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var time))
            {
                throw new JsonException("时间应写成 ISO 8601 格式，例如 2026-03-01T09:00:00+08:00。");
            }
            return time.Year is >= MinYear and <= MaxYear ? time : throw OutOfRange();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }
}
