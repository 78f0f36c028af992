using System.Security.Claims;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>The caller as its validated token describes it.</summary>
public sealed class Caller(ClaimsPrincipal user)
{
    /// <summary>The workflow department of tasks that belong to the applicant (补正, confirmation).</summary>
    public const string ApplicantDepartment = "applicant";

    /// <summary>User or client id.</summary>
    public string Id => user.FindFirstValue(PlatformClaims.Subject) ?? "unknown";

    /// <summary>Display name.</summary>
    public string Name => user.FindFirstValue(PlatformClaims.Name) ?? Id;

    /// <summary>The enterprise an enterprise user acts for.</summary>
    public string? Uscc => user.FindFirstValue(PlatformClaims.Uscc);

    /// <summary>The name of the enterprise an enterprise user acts for.</summary>
    public string? EnterpriseName => user.FindFirstValue(PlatformClaims.EnterpriseName);

    /// <summary>A caseworker's department.</summary>
    public string? Department => user.FindFirstValue(PlatformClaims.Department);

    /// <summary>A partner city's code.</summary>
    public string? City => user.FindFirstValue(PlatformClaims.City);

    /// <summary>A G60 partner city's system (跨省通办).</summary>
    public bool IsPartnerCity => user.IsInRole(PlatformRoles.PartnerCity) && City is not null;

    /// <summary>A platform service acting on its own behalf (client credentials), such as the G60 exchange.</summary>
    public bool IsPlatformService => user.IsInRole(PlatformRoles.Service);

    /// <summary>Enterprise staff.</summary>
    public bool IsEnterprise => user.IsInRole(PlatformRoles.Enterprise) && Uscc is not null;

    /// <summary>Caseworker in any role.</summary>
    public bool IsCaseworker => Department is not null &&
        (user.IsInRole(PlatformRoles.WindowClerk) || user.IsInRole(PlatformRoles.Reviewer) || user.IsInRole(PlatformRoles.Approver));

    /// <summary>Window clerk (窗口受理).</summary>
    public bool IsWindowClerk => Department is not null && user.IsInRole(PlatformRoles.WindowClerk);

    /// <summary>Approver, who leads the department's work list and may reassign its tasks.</summary>
    public bool IsApprover => Department is not null && user.IsInRole(PlatformRoles.Approver);

    /// <summary>Platform administrator.</summary>
    public bool IsAdmin => user.IsInRole(PlatformRoles.Admin);

    /// <summary>The caller's roles among the caseworker roles.</summary>
    public IReadOnlyList<string> CaseworkerRoles =>
        [.. new[] { PlatformRoles.WindowClerk, PlatformRoles.Reviewer, PlatformRoles.Approver }.Where(user.IsInRole)];

    /// <summary>The caller as a caseworker acting on a task of their department.</summary>
    public WorkflowActor AsCaseworker() => new(Id, Department ?? "", CaseworkerRoles);

    /// <summary>The caller acting for the applicant on the applicant's own tasks.</summary>
    public WorkflowActor AsApplicant() => new(Id, ApplicantDepartment, [PlatformRoles.Enterprise]);
}
