using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.MessageLog;
using Songjiang.Exchange.Api.Partners;

namespace Songjiang.Exchange.Api.Webhooks;

/// <summary>
/// Sends queued status webhooks, signed with this platform's key under the partner scheme, in order per application:
/// a later status waits until every earlier one (by the case's own
/// order) has been queued and delivered. A failure is retried with exponential back-off until
/// the delivery's retry period ends (at least 24 hours), then it is dead-lettered for an admin to replay. Replicas
/// claim a delivery by moving its next attempt forward with a conditional update, so only one sends it.
/// </summary>
public sealed class WebhookSender(
    IServiceScopeFactory scopes, IHttpClientFactory httpClients, PartnerKeyRing keys, MessageChain chain,
    IOptions<ExchangeOptions> options, TimeProvider clock, ILogger<WebhookSender> logger) : BackgroundService
{
    /// <summary>The HTTP client used for webhooks (no automatic retries: the sender retries on its own schedule).</summary>
    public const string HttpClientName = "partner-webhooks";

    /// <summary>The webhook's event id header.</summary>
    public const string EventIdHeader = "X-G60-Event-Id";

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Sending partner webhooks failed; retrying shortly");
            }
            if (sent == 0)
            {
                await Task.Delay(options.Value.WebhookPollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>Sends what is due now; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        var now = clock.GetUtcNow();
        // In order: a delivery is due only when every earlier place of its application (1 … n-1) is queued and delivered;
        // a status whose predecessor has not arrived yet, or is still failing, waits.
        var due = await db.Deliveries.AsNoTracking()
            .Where(d => d.State == DeliveryStates.Pending && d.NextAttemptAt <= now
                && db.Deliveries.Count(e => e.ApplicationId == d.ApplicationId && e.Sequence < d.Sequence && e.State == DeliveryStates.Delivered) == d.Sequence - 1)
            .OrderBy(d => d.NextAttemptAt).Take(50).ToListAsync(cancellationToken);
        var attempted = 0;
        foreach (var delivery in due)
        {
            var claimedUntil = now + Lease;
            var claimed = await db.Deliveries
                .Where(d => d.Id == delivery.Id && d.State == DeliveryStates.Pending && d.NextAttemptAt == delivery.NextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, claimedUntil), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }
            attempted++;
            await AttemptAsync(db, delivery, cancellationToken);
        }
        return attempted;
    }

    private async Task AttemptAsync(ExchangeDbContext db, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var subscription = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.City == delivery.City, cancellationToken);
        int? statusCode = null;
        string? error = null;
        if (subscription is null)
        {
            error = "该城市尚未登记回调地址";
        }
        else if (keys.OwnKey is not { } own)
        {
            error = "本平台未配置出站签名密钥（Exchange:OwnKey）";
        }
        else
        {
            var body = Encoding.UTF8.GetBytes(delivery.Payload);
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
            {
                Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json; charset=utf-8" } } },
            };
            request.Headers.Add(EventIdHeader, delivery.Id.ToString());
            PartnerSignature.SignRequest(request, own.City, own.KeyId, own.Secret, body, clock.GetUtcNow());
            var responseSha = PartnerSignature.EmptyBodySha256;
            try
            {
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
                statusCode = (int)response.StatusCode;
                responseSha = PartnerSignature.BodySha256(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                if (!response.IsSuccessStatusCode)
                {
                    error = $"回调地址返回 {statusCode}";
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = "无法连接回调地址：" + exception.Message;
            }
            await chain.AppendAsync(new LogEntry("out", delivery.City, "POST", subscription.Url, own.KeyId,
                request.Headers.GetValues(PartnerSignature.TimestampHeader).First(), request.Headers.GetValues(PartnerSignature.NonceHeader).First(),
                request.Headers.GetValues(PartnerSignature.SignatureHeader).First(), PartnerSignature.BodySha256(body), statusCode ?? 0, responseSha,
                delivery.Id.ToString()), CancellationToken.None);
        }

        var now = clock.GetUtcNow();
        var attempts = delivery.Attempts + 1;
        if (error is null)
        {
            await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, DeliveryStates.Delivered).SetProperty(d => d.Attempts, attempts)
                .SetProperty(d => d.DeliveredAt, now).SetProperty(d => d.LastStatusCode, statusCode).SetProperty(d => d.LastError, (string?)null), CancellationToken.None);
            logger.LogInformation("Webhook {Id} ({Status}) delivered to city {City} after {Attempts} attempt(s)", delivery.Id, delivery.Status, delivery.City, attempts);
            return;
        }
        var settings = options.Value;
        var delay = TimeSpan.FromTicks(Math.Min(settings.WebhookMaxDelay.Ticks, settings.WebhookFirstDelay.Ticks * (1L << Math.Min(attempts - 1, 30))));
        var next = now + delay;
        var state = next > delivery.RetryUntil ? DeliveryStates.Dead : DeliveryStates.Pending;
        await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.State, state).SetProperty(d => d.Attempts, attempts).SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastStatusCode, statusCode).SetProperty(d => d.LastError, error), CancellationToken.None);
        logger.LogInformation("Webhook {Id} to city {City} failed ({Error}); {State}, next attempt {Next}", delivery.Id, delivery.City, error, state, next);
    }
}
