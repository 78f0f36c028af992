using Songjiang.EventBus;
using Songjiang.SharedKernel;
using System.Security.Cryptography;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Support;

/// <summary>The cases service's "application approved" event with every field of its contract, as the cases service publishes it.</summary>
[IntegrationEvent("cases.application-approved.v1")]
public sealed record CasesApplicationApproved(
    Guid ApplicationId,
    string ApplicationNumber,
    string? ParentNumber,
    string? MatterCode,
    string MatterName,
    string? BundleCode,
    string Department,
    string? ApplicantUscc,
    string ApplicantName,
    string Channel,
    JsonElement Form,
    string? AssignedUscc,
    string? HolderUscc,
    string HolderName,
    string ApprovedBy,
    DateTimeOffset ApprovedAt,
    bool CommitmentBased) : IntegrationEvent
{
    /// <summary>An approval of a matter for an existing enterprise, approved now.</summary>
    public static CasesApplicationApproved Of(string matterCode, string matterName, string department, string uscc, string name, object form) =>
        new(Guid.NewGuid(), NewNumber(), null, matterCode, matterName, null, department, uscc, name, "online",
            JsonSerializer.SerializeToElement(form), null, uscc, name, "approver-1", DateTimeOffset.UtcNow, CommitmentBased: false);

    /// <summary>A fresh application number in the cases service's format.</summary>
    public static string NewNumber() => $"SJ{DateTime.UtcNow:yyyyMMdd}-{RandomNumberGenerator.GetString("0123456789", 9)}";

    /// <summary>A fresh, valid unified social credit code (GB 32100 check character).</summary>
    public static string NewUscc()
    {
        var first17 = "91310117MA" + RandomNumberGenerator.GetString("0123456789ABCDEFGHJKLMNPQRTUWXY", 7);
        return first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
    }
}
