using Songjiang.Enterprises.Api.Domain;
using Songjiang.ServiceDefaults.Authentication;
using System.Security.Claims;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>Who is calling and what this service lets them do with enterprise profiles.</summary>
public sealed class Caller(ClaimsPrincipal user)
{
    /// <summary>The department that registers enterprises (市场监管局).</summary>
    public const string RegistrationDepartment = "market-regulation";

    /// <summary>Fields an enterprise keeps up to date itself; the rest change only through registration (变更).</summary>
    public static readonly IReadOnlySet<string> SelfServiceFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "employees", "annualRevenue", "rdSpending", "contactPhone", "contactEmail",
    };

    /// <summary>User or client id, for the audit trail.</summary>
    public string Id => user.FindFirstValue(PlatformClaims.Subject) ?? "unknown";

    /// <summary>The enterprise an enterprise user acts for.</summary>
    public string? Uscc => user.FindFirstValue(PlatformClaims.Uscc);

    /// <summary>A caseworker's department.</summary>
    public string? Department => user.FindFirstValue(PlatformClaims.Department);

    /// <summary>Platform administrator.</summary>
    public bool IsAdmin => user.IsInRole(PlatformRoles.Admin);

    /// <summary>Caseworker in any role.</summary>
    public bool IsCaseworker => Department is not null &&
        (user.IsInRole(PlatformRoles.WindowClerk) || user.IsInRole(PlatformRoles.Reviewer) || user.IsInRole(PlatformRoles.Approver));

    /// <summary>A platform service acting on its own behalf.</summary>
    public bool IsService => user.IsInRole(PlatformRoles.Service);

    /// <summary>Staff of an enterprise.</summary>
    public bool IsEnterprise => user.IsInRole(PlatformRoles.Enterprise) && Uscc is not null;

    /// <summary>Government staff and services read every profile; an enterprise only its own.</summary>
    public bool CanRead(string uscc) => IsAdmin || IsCaseworker || IsService || (IsEnterprise && Uscc == uscc);

    /// <summary>Registration and registered fields: market regulation and administrators.</summary>
    public bool CanRegister => IsAdmin || (IsCaseworker && Department == RegistrationDepartment);

    /// <summary>Lists and searches over all enterprises.</summary>
    public bool CanList => IsAdmin || IsCaseworker || IsService;

    /// <summary>Credit records are written by supervising caseworkers and administrators.</summary>
    public bool CanRecordCredit => IsAdmin || IsCaseworker;

    /// <summary>Whether the caller may change these fields of this enterprise.</summary>
    public IReadOnlyList<string> ForbiddenFields(Enterprise enterprise, IEnumerable<string> fields) =>
        CanRegister
            ? []
            : IsEnterprise && Uscc == enterprise.Uscc
                ? [.. fields.Where(f => !SelfServiceFields.Contains(f))]
                : [.. fields];
}
