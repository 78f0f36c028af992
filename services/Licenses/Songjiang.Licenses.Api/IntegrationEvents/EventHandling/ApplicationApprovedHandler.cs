using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.Events;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Licenses.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Issues the licence an approved application yields (<c>Seed/matter-licences.json</c>), inside the inbox
/// transaction. The application number is the licence's application id, so a redelivered or repeated approval
/// finds the licence already issued and issues none.
/// </summary>
public sealed class ApplicationApprovedHandler(
    MatterLicenceMap map,
    LicenceIssuer issuer,
    LicensesDbContext db,
    EnterpriseRegister register,
    ILogger<ApplicationApprovedHandler> logger) : IIntegrationEventHandler<ApplicationApprovedIntegrationEvent>
{
    /// <summary>Who issued, in the licence's audit field.</summary>
    public const string IssuedBy = "cases:application-approved";

    /// <inheritdoc />
    public async Task Handle(ApplicationApprovedIntegrationEvent evt, CancellationToken ct)
    {
        var mapping = map.Find(evt.MatterCode);
        if (mapping is null)
        {
            logger.LogDebug("Application {Number} ({Matter}) approved (event {EventId}); the matter yields no licence",
                evt.ApplicationNumber, evt.MatterCode ?? "bundle", evt.Id);
            return;
        }
        if (await db.Licences.AsNoTracking().FirstOrDefaultAsync(l => l.ApplicationId == evt.ApplicationNumber, ct) is { } existing)
        {
            logger.LogInformation("Application {Number} already has licence {Licence} (event {EventId})", evt.ApplicationNumber, existing.Number, evt.Id);
            return;
        }

        var type = await db.LicenceTypes.AsNoTracking().SingleAsync(t => t.Code == mapping.LicenceType, ct);
        var approvedOn = DateOnly.FromDateTime((evt.ApprovedAt ?? evt.OccurredAt).ToOffset(ChinaTime.Offset).DateTime);
        var errors = new Dictionary<string, string[]>();
        RegisteredEnterprise? profile = null;
        if (string.IsNullOrWhiteSpace(evt.HolderUscc))
        {
            errors["holder.uscc"] = ["The approval names no holder (holderUscc)."];
        }
        else if (mapping.NeedsHolderProfile)
        {
            // A failure to reach the register throws and is retried by the event bus like any other.
            profile = await register.FindAsync(evt.HolderUscc, ct);
            if (profile is null)
            {
                errors["holder.uscc"] = [$"The enterprise register has no {evt.HolderUscc}."];
            }
        }
        var fields = mapping.Resolve(type, evt.Form, approvedOn, evt.HolderName, profile is null ? null : profile.Field, errors);
        if (errors.Count > 0)
        {
            throw NotIssuable(evt, type.Name, errors);
        }

        try
        {
            var result = await issuer.IssueAsync(new IssueLicenceCommand(
                type.Code, evt.HolderName, evt.HolderUscc, fields, ValidFrom: approvedOn, ValidUntil: null,
                ApplicationId: evt.ApplicationNumber, IssuedBy, ActingDepartment: null), ct);
            logger.LogInformation("Application {Number} ({Matter}) approved (event {EventId}): licence {Licence} {State}",
                evt.ApplicationNumber, evt.MatterCode, evt.Id, result.Licence.Number, result.Created ? "issued" : "already issued");
        }
        catch (ValidationFailedException ex)
        {
            throw NotIssuable(evt, type.Name, ex.Errors, ex);
        }
        catch (ConflictException ex)
        {
            throw new LicenceNotIssuableException($"Application {evt.ApplicationNumber} ({evt.MatterCode}) cannot be issued a {type.Name}: {ex.Message}", ex);
        }
    }

    private LicenceNotIssuableException NotIssuable(
        ApplicationApprovedIntegrationEvent evt, string typeName, IDictionary<string, string[]> errors, Exception? inner = null)
    {
        var reasons = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        logger.LogError("Application {Number} ({Matter}, event {EventId}) cannot be issued a {Type}: {Reasons}",
            evt.ApplicationNumber, evt.MatterCode, evt.Id, typeName, reasons);
        return new LicenceNotIssuableException(
            $"Application {evt.ApplicationNumber} ({evt.MatterCode}) cannot be issued a {typeName}: {reasons}", inner);
    }
}
