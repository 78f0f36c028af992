using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.MessageLog;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Exchange.Api.Features;

/// <summary>A message log record as administrators read it.</summary>
public sealed record MessageRecordView(
    long Sequence, DateTimeOffset At, string Direction, string City, string Method, string Target, string? KeyId, string? Timestamp,
    string? Nonce, string? Signature, string RequestSha256, int Status, string ResponseSha256, string? CorrelationId, string PreviousHash, string Hash)
{
    /// <summary>Projects a record.</summary>
    public static MessageRecordView Of(MessageRecord r) => new(
        r.Sequence, DateTimeOffset.FromUnixTimeMilliseconds(r.AtUnixMs).ToOffset(StatusNames.China), r.Direction, r.City, r.Method, r.Target,
        r.KeyId, r.Timestamp, r.Nonce, r.Signature, r.RequestSha256, r.Status, r.ResponseSha256, r.CorrelationId, r.PreviousHash, r.Hash);
}

/// <summary>A sealed chain head.</summary>
public sealed record SealView(string Day, long HeadSequence, string HeadHash, string KeyId, string Signature, DateTimeOffset SealedAt);

/// <summary>Volumes: one line per city, direction and outcome.</summary>
public sealed record VolumeLine(string City, string Direction, string Outcome, int Count);

/// <summary>The exchange's figures.</summary>
public sealed record ExchangeMetrics(
    IReadOnlyList<VolumeLine> Messages, int Applications, IReadOnlyDictionary<string, int> Deliveries, DateTimeOffset At);

/// <summary>
/// Administration of the exchange: the message log with filters, the chain check, sealing the head now, webhook
/// dead letters and their replay, and the volumes. Admins only.
/// </summary>
public static class AdminApi
{
    /// <summary>Maps the endpoints.</summary>
    public static WebApplication MapExchangeAdminApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api/exchange/admin").WithTags("Exchange administration").RequireAuthorization(PlatformPolicies.Admin);
        admin.MapGet("/log", LogAsync).WithName("exchange-log")
            .WithSummary("Message log records, filtered by city, direction, status and China calendar days (from, to).")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        admin.MapGet("/log/verify", VerifyAsync).WithName("exchange-log-verify")
            .WithSummary("Walks the hash chain and the sealed heads; names the first broken record.").ProducesProblem(401).ProducesProblem(403);
        admin.MapGet("/log/seals", SealsAsync).WithName("exchange-log-seals").WithSummary("The sealed chain heads.");
        admin.MapPost("/log/seals", SealNowAsync).WithName("exchange-log-seal-now")
            .WithSummary("Seals today's chain head as it stands now (finished days are sealed automatically).");
        admin.MapGet("/webhooks", WebhooksAsync).WithName("exchange-webhooks")
            .WithSummary("Webhook deliveries by state (pending, delivered, dead) and city.");
        admin.MapPost("/webhooks/{id:guid}/replay", ReplayAsync).WithName("exchange-webhook-replay")
            .WithSummary("Sends a dead-lettered webhook again, with a fresh retry period.").ProducesProblem(404).ProducesProblem(409);
        admin.MapPost("/trust/sync", SyncTrustAsync).WithName("exchange-trust-sync")
            .WithSummary("Fetches the partners' sealed issuers documents now and adds their issuer keys to the licences trust list.")
            .ProducesProblem(401).ProducesProblem(403);
        app.MapGet("/api/exchange/metrics", MetricsAsync).WithName("exchange-metrics").WithTags("Exchange administration")
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithSummary("Message volumes by city, direction and outcome; applications; webhook deliveries by state.");
        return app;
    }

    private static async Task<Ok<ResultPage<MessageRecordView>>> LogAsync(
        ExchangeDbContext db, string? city, string? direction, int? status, string? from, string? to, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var query = db.Messages.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(city))
        {
            query = query.Where(m => m.City == city);
        }
        if (!string.IsNullOrWhiteSpace(direction))
        {
            if (direction is not ("in" or "out"))
            {
                throw new ValidationFailedException("direction", "方向须为 in（对方调用本平台）或 out（本平台调用对方）。");
            }
            query = query.Where(m => m.Direction == direction);
        }
        if (status is { } code)
        {
            query = query.Where(m => m.Status == code);
        }
        if (Day(from, "from") is { } start)
        {
            var ms = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), StatusNames.China).ToUnixTimeMilliseconds();
            query = query.Where(m => m.AtUnixMs >= ms);
        }
        if (Day(to, "to") is { } end)
        {
            var ms = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), StatusNames.China).ToUnixTimeMilliseconds();
            query = query.Where(m => m.AtUnixMs < ms);
        }
        var (p, size) = PageRequest.Clamped(page, pageSize);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(m => m.Sequence).Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<MessageRecordView>([.. items.Select(MessageRecordView.Of)], p, size, total));
    }

    private static DateOnly? Day(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new ValidationFailedException(field, "日期格式须为 yyyy-MM-dd（中国日历日）。");

    private static async Task<Ok<ChainVerification>> VerifyAsync(MessageChain chain, CancellationToken cancellationToken) =>
        TypedResults.Ok(await chain.VerifyAsync(cancellationToken));

    private static async Task<Ok<List<SealView>>> SealsAsync(ExchangeDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Seals.AsNoTracking().OrderBy(s => s.HeadSequence).ToListAsync(cancellationToken))
            .Select(s => new SealView(s.Day, s.HeadSequence, s.HeadHash, s.KeyId, s.Signature, s.SealedAt.ToOffset(StatusNames.China))).ToList());

    private static async Task<Results<Ok<SealView>, NoContent>> SealNowAsync(MessageChain chain, TimeProvider clock, CancellationToken cancellationToken)
    {
        var seal = await chain.SealAsync(MessageChain.ChinaDay(clock.GetUtcNow()), cancellationToken);
        return seal is null
            ? TypedResults.NoContent()
            : TypedResults.Ok(new SealView(seal.Day, seal.HeadSequence, seal.HeadHash, seal.KeyId, seal.Signature, seal.SealedAt.ToOffset(StatusNames.China)));
    }

    private static async Task<Ok<ResultPage<DeliveryView>>> WebhooksAsync(
        ExchangeDbContext db, string? state, string? city, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var query = db.Deliveries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (state is not (DeliveryStates.Pending or DeliveryStates.Delivered or DeliveryStates.Dead))
            {
                throw new ValidationFailedException("state", "状态须为 pending、delivered 或 dead。");
            }
            query = query.Where(d => d.State == state);
        }
        if (!string.IsNullOrWhiteSpace(city))
        {
            query = query.Where(d => d.City == city);
        }
        var (p, size) = PageRequest.Clamped(page, pageSize);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<DeliveryView>([.. items.Select(PartnerApi.DeliveryOf)], p, size, total));
    }

    private static async Task<Ok<DeliveryView>> ReplayAsync(
        Guid id, ExchangeDbContext db, Microsoft.Extensions.Options.IOptions<Extensions.ExchangeOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new NotFoundException($"没有回调投递 {id}。");
        if (delivery.State != DeliveryStates.Dead)
        {
            throw new ConflictException($"回调投递 {id} 的状态是 {delivery.State}，只有已转入死信（dead）的投递可以重发。");
        }
        var now = clock.GetUtcNow();
        delivery.State = DeliveryStates.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = now;
        delivery.RetryUntil = now + options.Value.WebhookRetryFor;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(PartnerApi.DeliveryOf(delivery));
    }

    private static async Task<Ok<IReadOnlyList<Trust.TrustSyncResult>>> SyncTrustAsync(Trust.PartnerTrustSync sync, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sync.SyncAllAsync(cancellationToken));

    private static async Task<Ok<ExchangeMetrics>> MetricsAsync(ExchangeDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var groups = await db.Messages.AsNoTracking()
            .GroupBy(m => new { m.City, m.Direction, Ok = m.Status >= 200 && m.Status < 300, Client = m.Status >= 400 && m.Status < 500 })
            .Select(g => new { g.Key.City, g.Key.Direction, g.Key.Ok, g.Key.Client, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var lines = groups.Select(g => new VolumeLine(g.City, g.Direction, g.Ok ? "success" : g.Client ? "refused" : "failed", g.Count))
            .OrderBy(l => l.City, StringComparer.Ordinal).ThenBy(l => l.Direction, StringComparer.Ordinal).ThenBy(l => l.Outcome, StringComparer.Ordinal).ToList();
        var deliveries = await db.Deliveries.AsNoTracking().GroupBy(d => d.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return TypedResults.Ok(new ExchangeMetrics(lines, await db.Applications.CountAsync(cancellationToken), deliveries,
            clock.GetUtcNow().ToOffset(StatusNames.China)));
    }
}
