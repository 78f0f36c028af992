using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Songjiang.Persistence;

/// <summary>
/// Rewrites, on SQLite, every stored <see cref="DateTimeOffset"/> that carries an offset as the same instant at offset
/// zero, the form <see cref="ProviderConventions.UtcDateTimeOffsetToBinaryConverter"/> writes, so that values stored
/// before it (a deadline or a submission time at +08:00) compare by instant with the rest. Idempotent: a value at
/// offset zero is left alone, so it runs at every start.
/// </summary>
internal static class SqliteInstants
{
    public static async Task NormalizeAsync(DbContext db, CancellationToken cancellationToken)
    {
        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } table || entity.IsMappedToJson())
            {
                continue;
            }
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetDeclaredProperties())
            {
                if ((Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) != typeof(DateTimeOffset)
                    || property.GetColumnName(store) is not { } column)
                {
                    continue;
                }
                // The low 11 bits hold the offset in minutes (two's complement); a minute is 600,000 units of the
                // high part (ticks ÷ 1000). Subtracting the offset gives the clock time at offset zero.
                // Table and column names come from the model, not from input.
                var c = $"\"{column}\"";
                var offset = $"(CASE WHEN ({c} & 2047) >= 1024 THEN ({c} & 2047) - 2048 ELSE {c} & 2047 END)";
                var rewrite = $"UPDATE \"{table}\" SET {c} = (({c} >> 11) - {offset} * 600000) << 11 WHERE {c} & 2047 <> 0";
                await db.Database.ExecuteSqlRawAsync(rewrite, cancellationToken);
            }
        }
    }
}
