using Songjiang.ServiceDefaults.Authentication;
using System.Security.Claims;

namespace Songjiang.Licenses.Api.Apis;

/// <summary>The caller as its validated token describes it.</summary>
public sealed record Caller(string Subject, IReadOnlySet<string> Roles, string? Uscc, string? Department)
{
    /// <summary>Reads the caller from the token's claims.</summary>
    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(PlatformClaims.Subject) ?? "",
        user.FindAll(PlatformClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        user.FindFirstValue(PlatformClaims.Uscc),
        user.FindFirstValue(PlatformClaims.Department));

    /// <summary>A platform administrator.</summary>
    public bool IsAdmin => Roles.Contains(PlatformRoles.Admin);

    /// <summary>A platform service acting on its own behalf (e.g. the cases service checking licences for 减材料).</summary>
    public bool IsService => Roles.Contains(PlatformRoles.Service);

    /// <summary>An enterprise user bound to a credit code.</summary>
    public bool IsEnterprise => Roles.Contains(PlatformRoles.Enterprise) && Uscc is not null;

    /// <summary>A caseworker of some department.</summary>
    public bool IsCaseworker => Department is not null
        && (Roles.Contains(PlatformRoles.WindowClerk) || Roles.Contains(PlatformRoles.Reviewer) || Roles.Contains(PlatformRoles.Approver));

    /// <summary>An approver (审批) of the given department: who may issue, revoke and suspend its licences.</summary>
    public bool IsApproverOf(string department) =>
        Roles.Contains(PlatformRoles.Approver) && string.Equals(Department, department, StringComparison.Ordinal);
}
