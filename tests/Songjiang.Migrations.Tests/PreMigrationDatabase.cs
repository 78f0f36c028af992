using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using NpgsqlTypes;
using Songjiang.Persistence;

namespace Songjiang.Migrations.Tests;

/// <summary>One row written before the upgrade: its table and primary-key values.</summary>
public sealed record FilledRow(string Table, IReadOnlyList<(string Column, object Value)> Key);

/// <summary>
/// A database as the platform made it before migrations: <c>EnsureCreated</c> on the model of the first migration
/// (the model the services had then), with a row in every table that has no foreign key.
/// </summary>
public static class PreMigrationDatabase
{
    public static async Task<IReadOnlyList<FilledRow>> CreateAndFillAsync(string service, DatabaseProvider provider, string connectionString)
    {
        IModel oldModel;
        await using (var current = ServiceContexts.On(service, provider, connectionString))
        {
            var migrations = current.GetService<IMigrationsAssembly>();
            var initial = migrations.CreateMigration(migrations.Migrations.First().Value, current.Database.ProviderName!);
            oldModel = current.GetService<IModelRuntimeInitializer>().Initialize(initial.TargetModel!, designTime: true);
        }

        var options = new DbContextOptionsBuilder();
        if (provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(connectionString);
        }
        else
        {
            options.UseSqlite(connectionString);
        }
        await using var old = new DbContext(options.UseModel(oldModel).Options);
        Assert.True(await old.Database.EnsureCreatedAsync());

        var filled = new List<FilledRow>();
        var connection = old.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in oldModel.GetRelationalModel().Tables.Where(t => !t.ForeignKeyConstraints.Any() && t.PrimaryKey is not null))
        {
            var columns = table.Columns.Where(c => c.Name != "xmin").ToList();
            await using var command = connection.CreateCommand();
            var values = new Dictionary<string, object>();
            foreach (var column in columns)
            {
                var value = SampleValue(column);
                values[column.Name] = value;
                command.Parameters.Add(Parameter(command, "@p" + command.Parameters.Count, value, column.StoreType));
            }
            command.CommandText = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) " +
                $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            await command.ExecuteNonQueryAsync();
            filled.Add(new FilledRow(table.Name, [.. table.PrimaryKey!.Columns.Select(c => (c.Name, values[c.Name]))]));
        }
        await connection.CloseAsync();
        return filled;
    }

    public static async Task<bool> ExistsAsync(DbContext db, FilledRow row)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {Quote(row.Table)} WHERE " +
                string.Join(" AND ", row.Key.Select((k, i) => $"{Quote(k.Column)} = @k{i}"));
            for (var i = 0; i < row.Key.Count; i++)
            {
                command.Parameters.Add(Parameter(command, "@k" + i, row.Key[i].Value, null));
            }
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 1;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static DbParameter Parameter(DbCommand command, string name, object value, string? storeType)
    {
        if (command is NpgsqlCommand && storeType is not null && storeType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlParameter(name, storeType.Equals("jsonb", StringComparison.OrdinalIgnoreCase) ? NpgsqlDbType.Jsonb : NpgsqlDbType.Json) { Value = value };
        }
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }

    private static object SampleValue(IColumn column)
    {
        var type = Nullable.GetUnderlyingType(column.ProviderClrType) ?? column.ProviderClrType;
        if (column.StoreType.Contains("json", StringComparison.OrdinalIgnoreCase) || type.Name == "JsonTypePlaceholder")
        {
            return "[]";
        }
        if (type == typeof(string))
        {
            var text = "旧" + Guid.NewGuid().ToString("N");
            return column.MaxLength is { } max && max < text.Length ? text[..max] : text;
        }
        if (type == typeof(Guid)) return Guid.NewGuid();
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return Random.Shared.Next(1, 1_000_000);
        if (type == typeof(long)) return (long)Random.Shared.Next(1, 1_000_000);
        if (type == typeof(short)) return (short)7;
        if (type == typeof(byte)) return (byte)7;
        if (type == typeof(decimal)) return 7.5m;
        if (type == typeof(double)) return 7.5d;
        if (type == typeof(float)) return 7.5f;
        if (type == typeof(DateTime)) return new DateTime(2026, 1, 5, 1, 2, 3, DateTimeKind.Utc);
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 1, 5, 1, 2, 3, TimeSpan.Zero);
        if (type == typeof(DateOnly)) return new DateOnly(2026, 1, 5);
        if (type == typeof(TimeOnly)) return new TimeOnly(9, 30);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(5);
        if (type == typeof(byte[])) return new byte[] { 1, 2, 3 };
        if (type.IsArray) return Array.CreateInstance(type.GetElementType()!, 0);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return Activator.CreateInstance(type)!;
        throw new NotSupportedException($"No sample value for column {column.Table.Name}.{column.Name} of {type}.");
    }
}
