using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Songjiang.Persistence;

/// <summary>Model conventions that keep one model working the same on SQLite and PostgreSQL.</summary>
public static class ProviderConventions
{
    /// <summary>
    /// SQLite has no date-with-offset type and cannot order or compare such values as text; store them as a
    /// sortable number there. PostgreSQL keeps its native <c>timestamptz</c>.
    /// </summary>
    public static ModelConfigurationBuilder UsePortableDateTimeOffsets(this ModelConfigurationBuilder configuration, DbContext context)
    {
        if (context.Database.IsSqlite())
        {
            configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configuration.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
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

    /// <summary>Writes every <see cref="DateTimeOffset"/> as the same instant at offset zero.</summary>
    private sealed class UtcDateTimeOffsetConverter()
        : ValueConverter<DateTimeOffset, DateTimeOffset>(value => value.ToUniversalTime(), value => value);
}
