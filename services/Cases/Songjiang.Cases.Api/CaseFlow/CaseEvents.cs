using System.Text.Json;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Cases.Api.CaseFlow;

/// <summary>Builds the published events of an application, each with the fields every application event carries.</summary>
public static class CaseEvents
{
    /// <summary>The channel as the event contract spells it.</summary>
    public static string ChannelName(Channel channel) => channel switch
    {
        Channel.Online => "online",
        Channel.Window => "window",
        Channel.PartnerCity => "partner-city",
        _ => "proactive",
    };

    /// <summary>Submitted.</summary>
    public static ApplicationSubmittedIntegrationEvent Submitted(Application a, string? onBehalfOf) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel), Form(a), a.SubmittedAt, onBehalfOf) { HandledByCity = a.HandledByCity };

    /// <summary>Accepted (受理).</summary>
    public static ApplicationAcceptedIntegrationEvent Accepted(Application a, string acceptedBy) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel), acceptedBy, a.StatutoryDueAt) { StatusSequence = a.NextStatusSequence() };

    /// <summary>Correction requested (补正), with the deadline of the applicant's correction step.</summary>
    public static ApplicationCorrectionRequestedIntegrationEvent CorrectionRequested(Application a, string note, DateTimeOffset? dueAt) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel), [.. a.CorrectionMaterials], note,
        [.. a.CorrectionMaterials.Select(code => a.Materials.FirstOrDefault(m => m.Code == code)?.Name ?? code)],
        dueAt is { } due ? TimeZoneInfo.ConvertTime(due, WorkingDayCalendar.China.TimeZone) : null,
        // A deadline at local midnight ends the day before it.
        dueAt is { } end ? WorkingDayCalendar.China.LocalDate(end.AddTicks(-1)) : null)
    { StatusSequence = a.NextStatusSequence() };

    /// <summary>Resubmitted after a correction.</summary>
    public static ApplicationResubmittedIntegrationEvent Resubmitted(Application a) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel)) { StatusSequence = a.NextStatusSequence() };

    /// <summary>Approved, with what a licence issuer needs.</summary>
    public static ApplicationApprovedIntegrationEvent Approved(Application a, string approvedBy, DateTimeOffset at)
    {
        var form = Form(a);
        return new(
            a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
            ChannelName(a.Channel), form, null, a.ApplicantUscc, HolderName(a, form), approvedBy, at,
            a.CommitmentBased) { StatusSequence = a.NextStatusSequence() };
    }

    /// <summary>Approved, with the typed licence and registration sections the catalog's outcome declares (built after v1: same status number).</summary>
    public static ApplicationApprovedV2IntegrationEvent ApprovedV2(Application a, string approvedBy, DateTimeOffset at)
    {
        var approvedOn = WorkingDayCalendar.China.LocalDate(at);
        var (licence, registration) = MatterOutcome.Read(a.ApprovalOutcome)?.Resolve(Form(a), approvedOn, a.ApplicantUscc, a.ApplicantName)
            ?? (null, null);
        return new(
            a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
            ChannelName(a.Channel), approvedBy, TimeZoneInfo.ConvertTime(at, WorkingDayCalendar.China.TimeZone), approvedOn, a.CommitmentBased, a.SubmittedBy,
            licence, registration) { StatusSequence = a.StatusSequence };
    }

    /// <summary>Rejected.</summary>
    public static ApplicationRejectedIntegrationEvent Rejected(Application a, string rejectedBy) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel), a.Reason ?? "", rejectedBy) { StatusSequence = a.NextStatusSequence() };

    /// <summary>Completed (办结).</summary>
    public static ApplicationCompletedIntegrationEvent Completed(Application a) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel), a.Outcome ?? "", a.CompletedAt ?? a.SubmittedAt, a.WorkingDaysTaken ?? 0, a.OnTime ?? true)
    { StatusSequence = a.NextStatusSequence() };

    /// <summary>Commitment found broken in post-approval verification.</summary>
    public static CommitmentBrokenIntegrationEvent CommitmentBroken(Application a, string verifiedBy) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel), verifiedBy, a.Reason ?? "");

    /// <summary>Rated (好差评).</summary>
    public static ApplicationRatedIntegrationEvent Rated(Application a, bool followUpOpened) => new(
        a.Id, a.Number, a.ParentNumber, a.MatterCode, a.Name, a.BundleCode, a.Department, a.ApplicantUscc, a.ApplicantName,
        ChannelName(a.Channel), a.Rating ?? 0, a.RatingComment, followUpOpened);

    // The holder of a licence the approval yields: the new company for an establishment, else the applicant.
    private static string HolderName(Application a, JsonElement form) =>
        MatterOutcome.Read(a.ApprovalOutcome)?.Resolve(form, default, a.ApplicantUscc, a.ApplicantName).Licence?.HolderName ?? a.ApplicantName;

    private static JsonElement Form(Application a) => JsonDocument.Parse(a.Form).RootElement.Clone();
}
