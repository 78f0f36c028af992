using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.SharedKernel;
using Songjiang.Testing;
using System.Security.Cryptography;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Support;

/// <summary>
/// The cases service's "application approved" event (v2), built as the cases service builds it: the matter's outcome
/// as the catalog declares it, resolved against the form by the cases service's own code.
/// </summary>
public static class CasesApproval
{
    /// <summary>An approval of a matter for an applicant, approved now.</summary>
    public static async Task<ApplicationApprovedV2IntegrationEvent> OfAsync(
        LicensesFixture platform, string matterCode, string? applicantUscc, string applicantName, object form, DateTimeOffset? approvedAt = null)
    {
        using var response = await platform.SendAsync(HttpMethod.Get, $"/api/catalog/matters/{matterCode}", null);
        var matter = await PlatformFixture.JsonOf(response);
        var outcome = matter.TryGetProperty("outcome", out var declared) && declared.ValueKind == JsonValueKind.Object
            ? MatterOutcome.Read(declared.GetRawText())
            : null;
        var at = approvedAt ?? DateTimeOffset.UtcNow;
        var approvedOn = DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var (licence, registration) = outcome?.Resolve(JsonSerializer.SerializeToElement(form), approvedOn, applicantUscc, applicantName) ?? (null, null);
        return new ApplicationApprovedV2IntegrationEvent(
            Guid.NewGuid(), NewNumber(), null, matterCode, matter.GetProperty("name").GetString()!, null, matter.GetProperty("department").GetString()!,
            applicantUscc, applicantName, "online", "approver-1", at.ToOffset(TimeSpan.FromHours(8)), approvedOn, false, "applicant-1",
            licence, registration);
    }

    /// <summary>A fresh application number in the cases service's format.</summary>
    public static string NewNumber() => $"SJ{DateTime.UtcNow:yyyyMMdd}-{RandomNumberGenerator.GetString("0123456789", 9)}";

    /// <summary>A fresh, valid unified social credit code (GB 32100 check character).</summary>
    public static string NewUscc()
    {
        var first17 = "91310117MA" + RandomNumberGenerator.GetString("0123456789ABCDEFGHJKLMNPQRTUWXY", 7);
        return first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
    }
}
