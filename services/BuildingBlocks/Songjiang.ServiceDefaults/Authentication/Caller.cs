using System.Security.Claims;

namespace Songjiang.ServiceDefaults.Authentication;

/// <summary>
/// The caller as its validated token describes it, with the role rules every service shares. A service adds the
/// rules only it needs as extension members beside its endpoints (<c>Features/CallerRules.cs</c>).
/// </summary>
public sealed class Caller(ClaimsPrincipal user)
{
    /// <summary>The workflow department of tasks that belong to the applicant (补正, confirmation).</summary>
    public const string ApplicantDepartment = "applicant";

    private static readonly string[] CaseworkerRoleNames = [PlatformRoles.WindowClerk, PlatformRoles.Reviewer, PlatformRoles.Approver];

    /// <summary>The validated principal.</summary>
    public ClaimsPrincipal User => user;

    /// <summary>User or client id.</summary>
    public string Id => user.FindFirstValue(PlatformClaims.Subject) ?? "unknown";

    /// <summary>Display name.</summary>
    public string Name => user.FindFirstValue(PlatformClaims.Name) ?? Id;

    /// <summary>The enterprise an enterprise user acts for now.</summary>
    public string? Uscc => user.FindFirstValue(PlatformClaims.Uscc);

    /// <summary>
    /// Every enterprise the user may act for: the one of <see cref="Uscc"/> and those they registered as legal
    /// representative or authorised agent (<see cref="PlatformClaims.ActsFor"/>).
    /// </summary>
    public IReadOnlySet<string> Usccs =>
        user.FindAll(PlatformClaims.Uscc).Concat(user.FindAll(PlatformClaims.ActsFor)).Select(c => c.Value)
            .Where(v => v.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The name of the enterprise an enterprise user acts for.</summary>
    public string? EnterpriseName => user.FindFirstValue(PlatformClaims.EnterpriseName);

    /// <summary>A caseworker's department.</summary>
    public string? Department => user.FindFirstValue(PlatformClaims.Department);

    /// <summary>A partner city's code.</summary>
    public string? City => user.FindFirstValue(PlatformClaims.City);

    /// <summary>Platform administrator.</summary>
    public bool IsAdmin => user.IsInRole(PlatformRoles.Admin);

    /// <summary>A platform service acting on its own behalf (client credentials), such as the G60 exchange.</summary>
    public bool IsService => user.IsInRole(PlatformRoles.Service);

    /// <summary>Same as <see cref="IsService"/>.</summary>
    public bool IsPlatformService => IsService;

    /// <summary>A G60 partner city's system (跨省通办).</summary>
    public bool IsPartnerCity => user.IsInRole(PlatformRoles.PartnerCity) && City is not null;

    /// <summary>Enterprise staff bound to a credit code.</summary>
    public bool IsEnterprise => user.IsInRole(PlatformRoles.Enterprise) && Uscc is not null;

    /// <summary>Whether the caller is enterprise staff acting for this enterprise (its own, or one they registered).</summary>
    public bool ActsFor(string? uscc) => uscc is not null && user.IsInRole(PlatformRoles.Enterprise) && Usccs.Contains(uscc);

    /// <summary>Caseworker in any role.</summary>
    public bool IsCaseworker => Department is not null && CaseworkerRoleNames.Any(user.IsInRole);

    /// <summary>A caseworker of this department.</summary>
    public bool IsCaseworkerOf(string department) => IsCaseworker && string.Equals(Department, department, StringComparison.Ordinal);

    /// <summary>Window clerk (窗口受理).</summary>
    public bool IsWindowClerk => Department is not null && user.IsInRole(PlatformRoles.WindowClerk);

    /// <summary>Reviewer (审查).</summary>
    public bool IsReviewer => Department is not null && user.IsInRole(PlatformRoles.Reviewer);

    /// <summary>Approver, who leads the department's work list and may reassign its tasks.</summary>
    public bool IsApprover => Department is not null && user.IsInRole(PlatformRoles.Approver);

    /// <summary>An approver (审批) of the given department.</summary>
    public bool IsApproverOf(string department) => IsApprover && string.Equals(Department, department, StringComparison.Ordinal);

    /// <summary>Government staff and platform services, who read across enterprises.</summary>
    public bool IsGovernment => IsAdmin || IsCaseworker || IsService;

    /// <summary>The caller's roles among the caseworker roles.</summary>
    public IReadOnlyList<string> CaseworkerRoles => [.. CaseworkerRoleNames.Where(user.IsInRole)];

    /// <summary>Whether the caller holds this role.</summary>
    public bool IsInRole(string role) => user.IsInRole(role);
}
