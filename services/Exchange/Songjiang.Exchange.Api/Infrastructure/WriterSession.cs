using Microsoft.EntityFrameworkCore;

namespace Songjiang.Exchange.Api.Infrastructure;

/// <summary>
/// The long-lived database session of a group-commit writer (nonces, message log): one context and one open
/// connection for as long as the writer is healthy. On SQLite (the embedded profile) the writer's connection commits
/// with <c>synchronous=NORMAL</c> in WAL mode: a commit survives the process stopping or crashing (the WAL is in the
/// operating system's hands) but not a power cut, which is the embedded profile's trade; on PostgreSQL every commit
/// is flushed as usual.
/// </summary>
public sealed class WriterSession(IServiceScopeFactory scopes, WriterGate gate) : IAsyncDisposable
{
    private AsyncServiceScope? _scope;
    private ExchangeDbContext? _db;
    private bool _sqlite;

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
        _sqlite = db.Database.IsSqlite();
        if (_sqlite)
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;");
        }
        return _db = db;
    }

    /// <summary>Commits what the context tracks; on SQLite only while no other writer of this process commits.</summary>
    public async Task SaveChangesAsync()
    {
        var db = _db ?? throw new InvalidOperationException("The writer session is not open.");
        if (!_sqlite)
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        await gate.WaitAsync();
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
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

/// <summary>
/// One commit at a time among this process's group-commit writers, on SQLite. SQLite has a single writer per database:
/// when the nonce writer and the log writer commit at the same moment, the second gets SQLITE_BUSY and
/// Microsoft.Data.Sqlite retries it after sleeping 150 ms, stalling every request of its batch (the exchange benchmark's
/// signed p99 was 156 ms against 10 ms gated). Waiting here costs only the other commit's few milliseconds. PostgreSQL
/// commits concurrently and is not gated.
/// </summary>
public sealed class WriterGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Waits for the turn to commit.</summary>
    public Task WaitAsync() => _semaphore.WaitAsync();

    /// <summary>Ends the turn.</summary>
    public void Release() => _semaphore.Release();
}
