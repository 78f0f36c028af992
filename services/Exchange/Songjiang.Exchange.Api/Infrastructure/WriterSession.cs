using Microsoft.EntityFrameworkCore;

namespace Songjiang.Exchange.Api.Infrastructure;

/// <summary>
/// The long-lived database session of the group-commit writer (nonces, message log): one context and one open
/// connection for as long as the writer is healthy. On SQLite (the embedded profile) the writer's connection commits
/// with <c>synchronous=NORMAL</c> in WAL mode: a commit survives the process stopping or crashing (the WAL is in the
/// operating system's hands) but not a power cut, which is the embedded profile's trade; on PostgreSQL every commit
/// is flushed as usual.
/// </summary>
public sealed class WriterSession(IServiceScopeFactory scopes) : IAsyncDisposable
{
    private AsyncServiceScope? _scope;
    private ExchangeDbContext? _db;

    /// <summary>The context, opened on first use.</summary>
    public async Task<ExchangeDbContext> ContextAsync()
    {
        if (_db is not null)
        {
            return _db;
        }
        _scope = scopes.CreateAsyncScope();
        var db = _scope.Value.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await db.Database.OpenConnectionAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;");
        }
        return _db = db;
    }

    /// <summary>Runs <paramref name="write"/> in one transaction and commits it; a failure rolls all of it back.</summary>
    public async Task CommitAsync(Func<ExchangeDbContext, Task> write)
    {
        var db = await ContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await write(db);
        await transaction.CommitAsync();
    }

    /// <summary>Drops the session after a failure; the next batch opens a new one.</summary>
    public async Task ResetAsync()
    {
        _db = null;
        if (_scope is { } scope)
        {
            _scope = null;
            await scope.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ResetAsync();
}

