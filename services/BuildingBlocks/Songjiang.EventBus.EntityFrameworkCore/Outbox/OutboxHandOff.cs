using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// Hands the events of <typeparamref name="TContext"/> to this process's relay the moment their transaction commits, so
/// the relay publishes them from memory instead of claiming them back from the database.
/// </summary>
/// <remarks>
/// <para>
/// An interceptor on the context's saves and transactions. When a save writes staged events it leases their rows to this
/// process as they are inserted (<see cref="OutboxMessage.LockOwner"/> and <see cref="OutboxMessage.LockedUntil"/>, the
/// same lease a relay's claim takes), so no other relay takes them meanwhile and no claim statement is needed. After the
/// commit — at the end of the save without a transaction, at the transaction's commit otherwise — the events go to
/// <see cref="Reader"/>; after a rollback or a failed save they never do, and a failed save drops its lease again.
/// </para>
/// <para>
/// Nothing is lost if the process dies with events still in memory: their rows are committed, and once the lease
/// passes any relay claims and publishes them, as it does a crashed relay's claim. A rollback to a savepoint hands
/// nothing of that transaction off (which of its rows survived is not known here); those rows wait for their lease.
/// A save inside an ambient <see cref="System.Transactions.Transaction"/> is not leased: its commit is not seen here,
/// so the relay is woken and polls for it as before.
/// </para>
/// </remarks>
internal sealed class OutboxHandOff<TContext>(
    OutboxSignal<TContext> signal,
    IOptions<OutboxOptions> options,
    TimeProvider time) : ISaveChangesInterceptor, IDbTransactionInterceptor
    where TContext : DbContext
{
    private readonly ConditionalWeakTable<DbContext, PendingEvents> _pending = [];
    private bool _hasLeased;
    private readonly Channel<OutboxMessage> _committed = Channel.CreateUnbounded<OutboxMessage>(new UnboundedChannelOptions
    {
        SingleWriter = false,
        SingleReader = false,
    });

    /// <summary>The lease owner of every row handed off in this process: the machine, for operators, and a unique id.</summary>
    public string Owner { get; } = $"{Environment.MachineName[..Math.Min(Environment.MachineName.Length, 31)]}/{Guid.CreateVersion7():N}";

    /// <summary>Whether this process has leased any event row yet (if not, it has no lease to give up when it stops).</summary>
    public bool HasLeased => Volatile.Read(ref _hasLeased);

    /// <summary>Committed events, in commit order, each leased to <see cref="Owner"/> until its <see cref="OutboxMessage.LockedUntil"/>.</summary>
    public ChannelReader<OutboxMessage> Reader => _committed.Reader;

    /// <summary>Whether <paramref name="context"/> was built with this interceptor (contexts from dependency injection are).</summary>
    public bool Intercepts(DbContext context) =>
        context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.Contains(this) == true;

    /// <summary>Remembers an event staged in <paramref name="context"/>, to lease and hand off when it is saved.</summary>
    public void Track(DbContext context, OutboxMessage message)
    {
        var pending = _pending.GetValue(context, _ => new PendingEvents());
        if (pending.Lease != context.ContextId)
        {
            // A pooled context back from the pool: what an earlier unit of work staged and never saved is gone with it.
            pending.Reset(context.ContextId);
        }

        pending.Staged.Add(message);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Lease(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Lease(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Unlease(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Unlease(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Unlease(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Unlease(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Abandon(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Abandon(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData.Context);
        return Task.CompletedTask;
    }

    public void RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => Abandon(eventData.Context);

    public Task RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Leases the staged events this save writes, unless an ambient transaction would commit them unseen.</summary>
    private void Lease(DbContext? context)
    {
        if (context is null || PendingOf(context) is not { Staged.Count: > 0 } pending)
        {
            return;
        }

        var leased = System.Transactions.Transaction.Current is null;
        var until = time.GetUtcNow().UtcDateTime + options.Value.LockDuration;
        for (var i = pending.Staged.Count - 1; i >= 0; i--)
        {
            var message = pending.Staged[i];
            if (context.Entry(message).State != EntityState.Added)
            {
                // Detached or cleared by the caller since it was staged: this save does not write it.
                pending.Staged.RemoveAt(i);
                continue;
            }

            if (leased)
            {
                message.LockOwner = Owner;
                message.LockedUntil = until;
                Volatile.Write(ref _hasLeased, true);
            }
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || PendingOf(context) is not { Staged.Count: > 0 } pending)
        {
            return;
        }

        var unleased = false;
        foreach (var message in pending.Staged)
        {
            if (message.LockOwner is null)
            {
                unleased = true;
            }
            else
            {
                pending.Saved.Add(message);
            }
        }

        pending.Staged.Clear();
        if (context.Database.CurrentTransaction is null)
        {
            HandOff(pending);
        }

        if (unleased)
        {
            // Committed by a transaction this interceptor does not see end: the relay's poll publishes them.
            signal.Notify();
        }
    }

    private void Unlease(DbContext? context)
    {
        foreach (var message in PendingOf(context)?.Staged ?? [])
        {
            message.LockOwner = null;
            message.LockedUntil = null;
        }
    }

    private void Committed(DbContext? context)
    {
        if (PendingOf(context) is { } pending)
        {
            HandOff(pending);
        }
    }

    // Rolled back: not in the database. Rolled back to a savepoint: perhaps still there, leased; its lease passes.
    private void Abandon(DbContext? context) => PendingOf(context)?.Saved.Clear();

    /// <summary>The events this unit of work of <paramref name="context"/> staged, if any (not a pooled context's earlier lease's).</summary>
    private PendingEvents? PendingOf(DbContext? context) =>
        context is not null && _pending.TryGetValue(context, out var pending) && pending.Lease == context.ContextId ? pending : null;

    private void HandOff(PendingEvents pending)
    {
        foreach (var message in pending.Saved)
        {
            _committed.Writer.TryWrite(message);
        }

        pending.Saved.Clear();
    }

    /// <summary>The events of one context instance, between being staged and being handed off.</summary>
    private sealed class PendingEvents
    {
        /// <summary>The pooled context's lease these events belong to.</summary>
        public DbContextId Lease { get; private set; }

        /// <summary>Added to the context, not yet saved.</summary>
        public List<OutboxMessage> Staged { get; } = [];

        /// <summary>Saved inside a transaction that has not ended yet.</summary>
        public List<OutboxMessage> Saved { get; } = [];

        public void Reset(DbContextId lease)
        {
            Lease = lease;
            Staged.Clear();
            Saved.Clear();
        }
    }
}
