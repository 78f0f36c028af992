using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.IntegrationEvents.EventHandling;

/// <summary>
/// 免申即享: opens a benefit case for an enterprise the policy radar found newly eligible, which only waits for the
/// enterprise to confirm. One case per offer, however often the offer is delivered (inbox, and a unique offer id).
/// </summary>
public sealed partial class BenefitOfferedHandler(
    CasesDbContext db, IWorkflowRuntime workflows, IOutbox<CasesDbContext> outbox, TimeProvider clock, ILogger<BenefitOfferedHandler> logger)
    : IIntegrationEventHandler<BenefitOfferedIntegrationEvent>
{
    /// <summary>The department that pays out policy benefits (区科委 handles 政策兑现 in the district).</summary>
    public const string BenefitDepartment = "science-technology";

    /// <inheritdoc />
    public async Task Handle(BenefitOfferedIntegrationEvent evt, CancellationToken ct)
    {
        if (await db.Applications.AnyAsync(a => a.OfferId == evt.OfferId, ct))
        {
            LogDuplicate(logger, evt.OfferId);
            return;
        }
        var now = clock.GetUtcNow();
        var number = await ApplicationNumbers.NextAsync(db, now, ct);
        var offer = new JsonObject
        {
            ["policyId"] = evt.PolicyId,
            ["policyVersion"] = evt.PolicyVersion,
            ["policyTitle"] = evt.PolicyTitle,
            ["documentNumber"] = evt.DocumentNumber,
            ["issuingBody"] = evt.IssuingBody,
            ["benefitType"] = evt.BenefitType,
            ["benefitAmount"] = evt.BenefitAmount,
            ["reasons"] = new JsonArray([.. (evt.Reasons ?? []).Select(r => (JsonNode)r)]),
        };
        var application = new Application
        {
            Number = number,
            Kind = ApplicationKind.Benefit,
            Name = evt.PolicyTitle.Length > 200 ? evt.PolicyTitle[..200] : evt.PolicyTitle,
            Department = BenefitDepartment,
            Workflow = "benefit-confirmation",
            Correlation = number,
            Channel = Channel.Proactive,
            ApplicantUscc = evt.Uscc,
            ApplicantName = evt.EnterpriseName,
            SubmittedBy = "policyradar",
            Form = offer.ToJsonString(),
            Status = ApplicationStatus.AwaitingConfirmation,
            SubmittedAt = now,
            OfferId = evt.OfferId,
            Reason = evt.BenefitAmount is { } amount
                ? string.Create(CultureInfo.InvariantCulture, $"{evt.PolicyTitle}: {evt.BenefitType} {amount:0.##} 元")
                : evt.PolicyTitle,
        };
        db.Applications.Add(application);
        outbox.Add(CaseEvents.Submitted(application, null));
        await db.SaveChangesAsync(ct);
        var started = await workflows.Using(db).StartAsync(application.Workflow, application.Correlation,
            new JsonObject { ["applicationNumber"] = number, ["offer"] = JsonNode.Parse(offer.ToJsonString()) }, WorkflowActor.System, ct);
        application.WorkflowInstanceId = started.InstanceId;
        LogOpened(logger, number, evt.Uscc, evt.PolicyId, evt.PolicyVersion);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Benefit offer {OfferId} already has a case; ignoring the repeat")]
    private static partial void LogDuplicate(ILogger logger, Guid offerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened benefit case {Number} for {Uscc} (policy {PolicyId} v{Version})")]
    private static partial void LogOpened(ILogger logger, string number, string uscc, string policyId, int version);
}
