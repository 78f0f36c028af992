using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Songjiang.Exchange.Api.Infrastructure;

/// <summary>
/// Inserts rows of one entity type as a single multi-row <c>INSERT</c>, with the table, columns and value conversions
/// of the EF Core model, on SQLite and PostgreSQL alike. The group-commit writer's rows (nonces, message-log records)
/// are only ever inserted, never read back or updated, so EF Core's change tracking and per-row SQL generation are
/// cost without use on the signed path. One statement is atomic: a used nonce or a taken log position inserts nothing.
/// </summary>
public static class RowInserter
{
    /// <summary>Inserts <paramref name="rows"/> in the context's connection and current transaction.</summary>
    public static async Task InsertAsync<T>(ExchangeDbContext db, IReadOnlyCollection<T> rows) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => (Name: p.GetColumnName(table)!, Getter: p.GetGetter(), Converter: p.GetTypeMapping().Converter))
            .ToList();

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = new StringBuilder("INSERT INTO ");
        if (table.Schema is { } schema)
        {
            sql.Append('"').Append(schema).Append("\".");
        }
        sql.Append('"').Append(table.Name).Append("\" (").AppendJoin(", ", columns.Select(c => $"\"{c.Name}\"")).Append(") VALUES ");
        var index = 0;
        foreach (var row in rows)
        {
            sql.Append(index == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                var name = "@p" + index++;
                sql.Append(c == 0 ? name : ", " + name);
                var value = columns[c].Getter.GetClrValue(row);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = (value is null ? null : columns[c].Converter?.ConvertToProvider(value) ?? value) ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>True when the statement failed on a primary key or unique index (the row exists already).</summary>
    public static bool IsDuplicate(DbException exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067, // SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE
        _ => false,
    };
}
