using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Songjiang.Persistence;

/// <summary>Model conventions that keep one model working the same on SQLite and PostgreSQL.</summary>
public static class ProviderConventions
{
    /// <summary>
    /// SQLite has no date-with-offset type and cannot order or compare such values as text; store them as a
    /// sortable number there, always at offset zero (<see cref="UtcDateTimeOffsetToBinaryConverter"/>). PostgreSQL keeps
    /// its native <c>timestamptz</c>, which stores the instant.
    /// </summary>
    public static ModelConfigurationBuilder UsePortableDateTimeOffsets(this ModelConfigurationBuilder configuration, DbContext context)
    {
        if (context.Database.IsSqlite())
        {
            configuration.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetToBinaryConverter>();
            configuration.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetToBinaryConverter>();
        }
        else
        {
            // PostgreSQL's timestamptz stores an instant and Npgsql refuses other offsets: a deadline computed in
            // China Standard Time is stored as the same instant in UTC.
            configuration.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
            configuration.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetConverter>();
        }
        return configuration;
    }

    /// <summary>
    /// EF Core's binary form (<see cref="DateTimeOffsetToBinaryConverter"/>: the clock time's ticks ÷ 1000 shifted left
    /// 11 bits, the offset's minutes in the low 11) of the same instant at offset zero. The binary form orders by clock
    /// time, not by instant, so a value written at +08:00 and one at offset zero compare 8 hours apart: a China day's
    /// midnight as a bound missed what was submitted in its first 8 hours. Written at offset zero, every stored value
    /// and every query parameter orders by instant. Rows written with an offset before are rewritten at start
    /// (<see cref="SqliteInstants"/>); reading decodes either.
    /// </summary>
    public sealed class UtcDateTimeOffsetToBinaryConverter()
        : ValueConverter<DateTimeOffset, long>(
            value => (value.UtcTicks / 1000) << 11,
            value => new DateTimeOffset(new DateTime((value >> 11) * 1000), new TimeSpan(0, (int)((value << 53) >> 53), 0)));

    /// <summary>Writes every <see cref="DateTimeOffset"/> as the same instant at offset zero.</summary>
    private sealed class UtcDateTimeOffsetConverter()
        : ValueConverter<DateTimeOffset, DateTimeOffset>(value => value.ToUniversalTime(), value => value);
}
