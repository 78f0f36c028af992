using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Songjiang.Workflows.Persistence;

/// <summary>
/// Parameterised statements run on the DbContext's own connection and transaction, so they commit or roll back
/// with everything else the context writes. Statements use <c>{0}</c>, <c>{1}</c>… as parameter placeholders.
/// On PostgreSQL they travel as one <see cref="DbBatch"/> (one round trip, positional parameters that Npgsql can
/// prepare); SQLite runs in process, so each statement is simply its own command.
/// </summary>
/// <remarks>
/// The hot path bypasses EF Core change tracking and materialisation: a resume step is a handful of rows whose
/// shape the runtime knows exactly, and tracking them cost more CPU than the database work itself.
/// </remarks>
internal sealed class SqlBatch(DbContext db)
{
    private readonly List<(string Sql, object?[] Args)> _statements = [];

    public bool IsPostgres { get; } = IsPostgresProvider(db);

    public int Count => _statements.Count;

    // Asking EF Core for the provider name goes through its service provider on every call; a context's model
    // belongs to one provider, so the answer is kept per model.
    private static readonly ConditionalWeakTable<IModel, StrongBox<bool>> Providers = [];

    public static bool IsPostgresProvider(DbContext db)
    {
        var model = db.Model;
        if (Providers.TryGetValue(model, out var known)) return known.Value;
        var isPostgres = db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";
        Providers.AddOrUpdate(model, new StrongBox<bool>(isPostgres));
        return isPostgres;
    }

    public SqlBatch Add(string sql, params object?[] args)
    {
        _statements.Add((sql, args));
        return this;
    }

    /// <summary>Adds one multi-row <c>INSERT</c>; nothing when there are no rows.</summary>
    public void AddInsert(string table, string columns, IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0) return;
        var sql = new StringBuilder($"INSERT INTO {table} ({columns}) VALUES ");
        var args = new object?[rows.Count * rows[0].Length];
        var n = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < rows[r].Length; c++)
            {
                if (c > 0) sql.Append(", ");
                sql.Append('{').Append(n.ToString(CultureInfo.InvariantCulture)).Append('}');
                args[n++] = rows[r][c];
            }

            sql.Append(')');
        }

        Add(sql.ToString(), args);
    }

    /// <summary>Runs every statement and returns the rows each one affected.</summary>
    public async Task<int[]> ExecuteAsync(CancellationToken ct)
    {
        var affected = new int[_statements.Count];
        if (_statements.Count == 0) return affected;
        if (IsPostgres)
        {
            await using var batch = CreateBatch();
            await batch.ExecuteNonQueryAsync(ct);
            for (var i = 0; i < affected.Length; i++) affected[i] = batch.BatchCommands[i].RecordsAffected;
            return affected;
        }

        for (var i = 0; i < affected.Length; i++)
        {
            await using var command = CreateCommand(i);
            affected[i] = await command.ExecuteNonQueryAsync(ct);
        }

        return affected;
    }

    /// <summary>Runs the statements as queries; read their result sets in order from the returned reader.</summary>
    public async Task<SqlResults> QueryAsync(CancellationToken ct)
    {
        if (IsPostgres)
        {
            var batch = CreateBatch();
            return new SqlResults(await batch.ExecuteReaderAsync(ct), batch, null);
        }

        var commands = Enumerable.Range(0, _statements.Count).Select(CreateCommand).ToList();
        return new SqlResults(await commands[0].ExecuteReaderAsync(ct), null, commands);
    }

    private DbBatch CreateBatch()
    {
        var connection = db.Database.GetDbConnection();
        var batch = connection.CreateBatch();
        batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var (sql, args) in _statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = Render(sql, args.Length);
            foreach (var arg in args) command.Parameters.Add(Parameter(command.CreateParameter(), arg));

            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    private DbCommand CreateCommand(int index)
    {
        var (sql, args) = _statements[index];
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = Render(sql, args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = Parameter(command.CreateParameter(), args[i]);
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    // The same few statement shapes repeat on every step; render each once per dialect.
    private static readonly ConcurrentDictionary<(string Sql, bool Postgres), string> Rendered = new();

    private string Render(string sql, int count) =>
        count == 0 ? sql : Rendered.GetOrAdd((sql, IsPostgres), key => string.Format(
            CultureInfo.InvariantCulture, key.Sql,
            Enumerable.Range(0, count).Select(i => key.Postgres ? string.Create(CultureInfo.InvariantCulture, $"${i + 1}") : string.Create(CultureInfo.InvariantCulture, $"@p{i}")).ToArray<object>()));

    private DbParameter Parameter(DbParameter parameter, object? arg)
    {
        if (arg is SqlNull typed) parameter.DbType = typed.Type;
        parameter.Value = ToDb(arg);
        return parameter;
    }

    // Values as EF Core stores them: enums as integers, instants as Unix milliseconds (see the model's
    // converters), and on SQLite GUIDs as upper-case text.
    private object ToDb(object? arg) => arg switch
    {
        null or SqlNull => DBNull.Value,
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUnixTimeMilliseconds(),
        Guid g when !IsPostgres => g.ToString().ToUpperInvariant(),
        _ => arg,
    };
}

/// <summary>
/// A null that keeps its column's type. Npgsql prepares a statement for one set of parameter types, and an
/// untyped null is a type of its own: a step that leaves <c>ended_at</c> empty would otherwise miss the
/// statement a step that sets it prepared, and PostgreSQL would plan it again.
/// </summary>
internal sealed class SqlNull
{
    private static readonly SqlNull Text = new(DbType.String);
    private static readonly SqlNull Uuid = new(DbType.Guid);
    private static readonly SqlNull Integer = new(DbType.Int32);
    private static readonly SqlNull Instant = new(DbType.Int64);

    private SqlNull(DbType type) => Type = type;

    public DbType Type { get; }

    public static object Of(string? value) => value ?? (object)Text;

    public static object Of(Guid? value) => value ?? (object)Uuid;

    public static object Of(int? value) => value ?? (object)Integer;

    /// <summary>An instant, stored as Unix milliseconds like every instant the batch binds.</summary>
    public static object Of(DateTimeOffset? value) => value ?? (object)Instant;
}

/// <summary>The result sets of a <see cref="SqlBatch"/> query, read one after another.</summary>
internal sealed class SqlResults(DbDataReader reader, DbBatch? batch, List<DbCommand>? commands) : IAsyncDisposable
{
    private DbDataReader _reader = reader;
    private int _index;

    /// <summary>Maps every row of the current result set, then moves to the next one.</summary>
    public async Task<List<T>> ReadAsync<T>(Func<DbDataReader, T> map, CancellationToken ct)
    {
        var rows = new List<T>();
        while (await _reader.ReadAsync(ct)) rows.Add(map(_reader));
        _index++;
        if (commands is null) await _reader.NextResultAsync(ct);
        else if (_index < commands.Count)
        {
            await _reader.DisposeAsync();
            _reader = await commands[_index].ExecuteReaderAsync(ct);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        if (batch is not null) await batch.DisposeAsync();
        foreach (var command in commands ?? []) await command.DisposeAsync();
    }
}
