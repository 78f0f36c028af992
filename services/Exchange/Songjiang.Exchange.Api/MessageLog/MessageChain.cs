using Songjiang.ServiceDefaults.Time;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.Partners;

namespace Songjiang.Exchange.Api.MessageLog;

/// <summary>A message to append: everything but its place in the chain.</summary>
public sealed record LogEntry(
    string Direction, string City, string Method, string Target, string? KeyId, string? Timestamp, string? Nonce, string? Signature,
    string RequestSha256, int Status, string ResponseSha256, string? CorrelationId);

/// <summary>The first record the chain check found broken, and why.</summary>
public sealed record ChainBreak(long Sequence, string Reason);

/// <summary>The result of walking the chain.</summary>
public sealed record ChainVerification(bool Intact, long Records, long? HeadSequence, string? HeadHash, int SealsChecked, ChainBreak? FirstBroken, DateTimeOffset CheckedAt);

/// <summary>
/// The append-only, hash-chained log of partner messages (X-Road style). Each record's hash covers its fields and the
/// previous record's hash; the sequence number is the primary key, so an append that lost a race with another
/// replica fails on the key and retries on the new head. Nothing here updates or deletes a record.
/// </summary>
public sealed class MessageChain(IServiceScopeFactory scopes, GroupCommitWriter writer, PlatformSealer sealer, TimeProvider clock)
    : IBatchParticipant
{
    /// <summary>The previous hash of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly TimeSpan ChinaOffset = ChinaTime.Offset;

    // The last committed record as this process knows it; only the group-commit writer reads and moves it.
    private (long Sequence, string Hash)? _head;

    /// <summary>
    /// Appends a record and returns it once it is committed. Appends that arrive together are committed together
    /// (group commit): the exchange's one writer takes everything queued, chains it and stores it in one transaction.
    /// </summary>
    public async Task<MessageRecord> AppendAsync(LogEntry entry, CancellationToken cancellationToken) =>
        (await EnqueueAsync(entry, spendsNonce: false, cancellationToken))!;

    /// <summary>
    /// Spends the entry's nonce for its city and appends the record in the same commit; null, and no record, when the
    /// city used the nonce before. A signed read answers only after this, so its caller waits for one commit, not two.
    /// </summary>
    public Task<MessageRecord?> AppendSpendingNonceAsync(LogEntry entry, CancellationToken cancellationToken) =>
        EnqueueAsync(entry with { Nonce = entry.Nonce ?? throw new ArgumentException("The entry has no nonce to spend.", nameof(entry)) },
            spendsNonce: true, cancellationToken);

    private Task<MessageRecord?> EnqueueAsync(LogEntry entry, bool spendsNonce, CancellationToken cancellationToken)
    {
        var append = new Append(this, entry, clock.GetUtcNow().ToUnixTimeMilliseconds()) { SpendsNonce = spendsNonce };
        writer.Enqueue(append);
        return append.Done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task StageAsync(ExchangeDbContext db, IReadOnlyList<IQueuedWrite> writes)
    {
        var appends = writes.Cast<Append>().ToList();
        var spending = appends.Where(a => a.SpendsNonce).ToList();
        var fresh = NonceStore.FirstOfEach(spending, a => (a.Entry.City, a.Entry.Nonce!));
        foreach (var replay in spending.Except(fresh))
        {
            replay.Done.TrySetResult(null); // the same nonce twice in one batch: the second is a replay, and not logged
        }
        await NonceStore.Insert(db, fresh.Select(a => (a.Entry.City, a.Entry.Nonce!)).ToList(), clock.GetUtcNow());

        var (sequence, hash) = _head ?? await HeadAsync(db, CancellationToken.None);
        var records = new List<MessageRecord>(appends.Count);
        foreach (var append in appends)
        {
            append.Record = null;
            if (!append.Done.Task.IsCompleted)
            {
                append.Record = Build(append.Entry, ++sequence, append.At, hash);
                hash = append.Record.Hash;
                records.Add(append.Record);
            }
        }
        await RowInserter.InsertAsync(db, records);
    }

    /// <inheritdoc />
    public void Committed(IReadOnlyList<IQueuedWrite> writes)
    {
        foreach (var append in writes.Cast<Append>().Where(a => a.Record is not null))
        {
            _head = (append.Record!.Sequence, append.Record.Hash);
            append.Done.TrySetResult(append.Record);
        }
    }

    /// <inheritdoc />
    public async Task WriteAloneAsync(WriterSession session, IReadOnlyList<IQueuedWrite> writes)
    {
        // The nonces first, in their own commit: a used one is a replay, which gets no record.
        var spending = writes.Cast<Append>().Where(a => a.SpendsNonce && !a.Done.Task.IsCompleted).ToList();
        var fresh = await NonceStore.SpendAloneAsync(session, spending.Select(a => (a.Entry.City, a.Entry.Nonce!)).ToList(), clock.GetUtcNow());
        for (var i = 0; i < spending.Count; i++)
        {
            spending[i].SpendsNonce = false;
            if (!fresh[i])
            {
                spending[i].Done.TrySetResult(null);
            }
        }
        var pending = writes.Cast<Append>().Where(a => !a.Done.Task.IsCompleted).ToList();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            // Another replica may have appended at these positions: chain the records again onto the stored head.
            _head = null;
            try
            {
                await session.CommitAsync(db => StageAsync(db, pending));
                Committed(pending);
                return;
            }
            catch (DbException exception) when (RowInserter.IsDuplicate(exception) && attempt < 50)
            {
            }
        }
    }

    /// <inheritdoc />
    public void Failed(IReadOnlyList<IQueuedWrite> writes, Exception exception)
    {
        _head = null;
        foreach (var append in writes.Cast<Append>())
        {
            append.Done.TrySetException(exception);
        }
    }

    private static async Task<(long Sequence, string Hash)> HeadAsync(ExchangeDbContext db, CancellationToken cancellationToken)
    {
        var head = await db.Messages.AsNoTracking().OrderByDescending(m => m.Sequence)
            .Select(m => new { m.Sequence, m.Hash }).FirstOrDefaultAsync(cancellationToken);
        return head is null ? (0, Genesis) : (head.Sequence, head.Hash);
    }

    private static MessageRecord Build(LogEntry e, long sequence, long at, string previous) => new()
    {
        Sequence = sequence,
        AtUnixMs = at,
        Direction = e.Direction,
        City = e.City,
        Method = e.Method,
        Target = e.Target,
        KeyId = e.KeyId,
        Timestamp = e.Timestamp,
        Nonce = e.Nonce,
        Signature = e.Signature,
        RequestSha256 = e.RequestSha256,
        Status = e.Status,
        ResponseSha256 = e.ResponseSha256,
        CorrelationId = e.CorrelationId,
        PreviousHash = previous,
        Hash = HashOf(sequence, at, e.Direction, e.City, e.Method, e.Target, e.KeyId, e.Timestamp, e.Nonce, e.Signature,
            e.RequestSha256, e.Status, e.ResponseSha256, e.CorrelationId, previous),
    };

    private sealed class Append(MessageChain owner, LogEntry entry, long at) : IQueuedWrite
    {
        public IBatchParticipant Owner => owner;
        public LogEntry Entry => entry;
        public long At => at;

        // The entry's nonce is to be spent in the same commit as its record (until it is spent on its own).
        public bool SpendsNonce { get; set; }
        public MessageRecord? Record { get; set; }
        public TaskCompletionSource<MessageRecord?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// The record hash: lower-case hex SHA-256 of the UTF-8 JSON array of the fields in this order (a JSON array, so
    /// no field can run into the next).
    /// </summary>
    public static string HashOf(MessageRecord r) => HashOf(r.Sequence, r.AtUnixMs, r.Direction, r.City, r.Method, r.Target, r.KeyId,
        r.Timestamp, r.Nonce, r.Signature, r.RequestSha256, r.Status, r.ResponseSha256, r.CorrelationId, r.PreviousHash);

    private static string HashOf(long sequence, long at, string direction, string city, string method, string target, string? keyId,
        string? timestamp, string? nonce, string? signature, string requestSha, int status, string responseSha, string? correlation, string previous)
    {
        var fields = new object?[] { sequence, at, direction, city, method, target, keyId, timestamp, nonce, signature, requestSha, status, responseSha, correlation, previous };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(fields)));
    }

    /// <summary>Walks the whole chain and every seal; names the first broken record.</summary>
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        long expected = 1;
        var previous = Genesis;
        ChainBreak? broken = null;
        var hashes = new Dictionary<long, string>();
        const int PageSize = 2000;
        while (broken is null)
        {
            var from = expected;
            var page = await db.Messages.AsNoTracking().Where(m => m.Sequence >= from).OrderBy(m => m.Sequence).Take(PageSize).ToListAsync(cancellationToken);
            foreach (var record in page)
            {
                if (record.Sequence != expected)
                {
                    broken = new ChainBreak(expected, $"第 {expected} 条记录缺失（下一条是第 {record.Sequence} 条）");
                    break;
                }
                if (record.PreviousHash != previous)
                {
                    broken = new ChainBreak(record.Sequence, $"第 {record.Sequence} 条记录的前序哈希与第 {record.Sequence - 1} 条记录不符（记录被删除、替换或调换了顺序）");
                    break;
                }
                if (HashOf(record) != record.Hash)
                {
                    broken = new ChainBreak(record.Sequence, $"第 {record.Sequence} 条记录的内容与其哈希不符（记录被改动）");
                    break;
                }
                hashes[record.Sequence] = record.Hash;
                previous = record.Hash;
                expected++;
            }
            if (page.Count < PageSize)
            {
                break;
            }
        }

        var seals = await db.Seals.AsNoTracking().OrderBy(s => s.HeadSequence).ToListAsync(cancellationToken);
        foreach (var seal in seals)
        {
            if (broken is not null && seal.HeadSequence >= broken.Sequence)
            {
                break;
            }
            if (!hashes.TryGetValue(seal.HeadSequence, out var hash))
            {
                broken = new ChainBreak(seal.HeadSequence, $"{seal.Day} 封存的链头第 {seal.HeadSequence} 条记录已不存在（记录被删除）");
                break;
            }
            if (hash != seal.HeadHash || !await sealer.VerifyAsync(SealMessage(seal.Day, seal.HeadSequence, seal.HeadHash), seal.Signature, cancellationToken))
            {
                broken = new ChainBreak(seal.HeadSequence, $"{seal.Day} 的 SM2 封存与第 {seal.HeadSequence} 条记录不符");
                break;
            }
        }
        return new ChainVerification(broken is null, expected - 1, expected > 1 ? expected - 1 : null, expected > 1 ? previous : null,
            seals.Count, broken, clock.GetUtcNow().ToOffset(ChinaOffset));
    }

    /// <summary>The bytes a seal signs: <c>day\nsequence\nhash</c>.</summary>
    public static byte[] SealMessage(string day, long sequence, string hash) =>
        Encoding.UTF8.GetBytes($"{day}\n{sequence.ToString(CultureInfo.InvariantCulture)}\n{hash}");

    /// <summary>The China calendar day of an instant.</summary>
    public static DateOnly ChinaDay(DateTimeOffset instant) => ChinaTime.DateOf(instant);

    /// <summary>
    /// Seals the head of the chain as it stood at the end of <paramref name="day"/> (or now, for today); returns the
    /// seal, or null when that day has no records. Sealing the same head twice returns the existing seal.
    /// </summary>
    public async Task<ChainSeal?> SealAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset).ToUnixTimeMilliseconds();
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaOffset).ToUnixTimeMilliseconds();
        var head = await db.Messages.AsNoTracking().Where(m => m.AtUnixMs < end).OrderByDescending(m => m.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (head is null || head.AtUnixMs < start)
        {
            return null;
        }
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (await db.Seals.AsNoTracking().FirstOrDefaultAsync(s => s.Day == dayText && s.HeadSequence == head.Sequence, cancellationToken) is { } existing)
        {
            return existing;
        }
        var (keyId, signature) = await sealer.SignAsync(SealMessage(dayText, head.Sequence, head.Hash), cancellationToken);
        var seal = new ChainSeal
        {
            Day = dayText, HeadSequence = head.Sequence, HeadHash = head.Hash, KeyId = keyId, Signature = signature, SealedAt = clock.GetUtcNow(),
        };
        db.Seals.Add(seal);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return await db.Seals.AsNoTracking().FirstAsync(s => s.Day == dayText && s.HeadSequence == head.Sequence, cancellationToken);
        }
        return seal;
    }
}

/// <summary>Seals every finished China day's chain head, shortly after midnight (+08:00) and at start for days missed.</summary>
public sealed class DailySealService(MessageChain chain, IServiceScopeFactory scopes, TimeProvider clock, ILogger<DailySealService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SealFinishedDaysAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Sealing the message log's daily heads failed; retrying in a minute");
            }
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
        }
    }

    private async Task SealFinishedDaysAsync(CancellationToken cancellationToken)
    {
        DateOnly? lastSealed;
        long? first;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
            var days = await db.Seals.AsNoTracking().Select(s => s.Day).ToListAsync(cancellationToken);
            lastSealed = days.Count == 0 ? null : days.Max(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            first = await db.Messages.AsNoTracking().OrderBy(m => m.Sequence).Select(m => (long?)m.AtUnixMs).FirstOrDefaultAsync(cancellationToken);
        }
        if (first is null)
        {
            return;
        }
        var today = MessageChain.ChinaDay(clock.GetUtcNow());
        var day = lastSealed?.AddDays(1) ?? MessageChain.ChinaDay(DateTimeOffset.FromUnixTimeMilliseconds(first.Value));
        for (; day < today; day = day.AddDays(1))
        {
            await chain.SealAsync(day, cancellationToken);
        }
    }
}
