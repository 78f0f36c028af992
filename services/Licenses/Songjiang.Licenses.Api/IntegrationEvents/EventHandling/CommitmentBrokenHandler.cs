using Songjiang.EventBus;
using Songjiang.Licenses.Api.IntegrationEvents.Events;
using Songjiang.Licenses.Api.Status;

namespace Songjiang.Licenses.Api.IntegrationEvents.EventHandling;

/// <summary>
/// A licence issued on a commitment (告知承诺) is revoked when post-approval verification finds the commitment broken,
/// inside the inbox transaction; a redelivery finds it revoked already and changes nothing.
/// </summary>
public sealed class CommitmentBrokenHandler(LicenceStatusService status, ILogger<CommitmentBrokenHandler> logger)
    : IIntegrationEventHandler<CommitmentBrokenIntegrationEvent>
{
    /// <summary>Who revoked, in the status history.</summary>
    public const string RevokedBy = "cases:commitment-broken";

    /// <inheritdoc />
    public async Task Handle(CommitmentBrokenIntegrationEvent evt, CancellationToken ct)
    {
        var reason = string.IsNullOrWhiteSpace(evt.Note)
            ? $"告知承诺核查不实（办件 {evt.ApplicationNumber}），撤销许可"
            : $"告知承诺核查不实（办件 {evt.ApplicationNumber}）：{evt.Note.Trim()}";
        var licence = await status.RevokeForApplicationAsync(evt.ApplicationNumber, reason, $"{RevokedBy}:{evt.VerifiedBy ?? "unknown"}", ct);
        if (licence is null)
        {
            logger.LogDebug("Application {Number} broke its commitment (event {EventId}) but yielded no licence", evt.ApplicationNumber, evt.Id);
        }
        else
        {
            logger.LogInformation("Application {Number} broke its commitment (event {EventId}): licence {Licence} is {Status}",
                evt.ApplicationNumber, evt.Id, licence.Number, licence.Status);
        }
    }
}
