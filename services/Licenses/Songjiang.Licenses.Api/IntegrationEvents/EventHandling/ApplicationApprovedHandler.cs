using Songjiang.EventBus;
using Songjiang.Licenses.Api.IntegrationEvents.Events;
using Songjiang.Licenses.Api.Issuance;

namespace Songjiang.Licenses.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Issues the licence an approved application yields, from the approval's typed licence section, inside the inbox
/// transaction and without calling another service. The application number is the licence's application id, so a
/// redelivered or repeated approval finds the licence already issued and issues none.
/// </summary>
public sealed class ApplicationApprovedHandler(ApprovalIssuance issuance) : IIntegrationEventHandler<ApplicationApprovedIntegrationEvent>
{
    /// <summary>Who issued, in the licence's audit field.</summary>
    public const string IssuedBy = ApprovalIssuance.IssuedBy;

    /// <inheritdoc />
    public Task Handle(ApplicationApprovedIntegrationEvent evt, CancellationToken ct) => issuance.IssueOrParkAsync(evt, ct);
}
