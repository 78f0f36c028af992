using Songjiang.ServiceDefaults.Authentication;
using System.Security.Claims;

namespace Songjiang.Notifications.Api.Domain;

/// <summary>
/// Inbox keys: an enterprise (shared by its staff), a user, a department's queue (its caseworkers) and the
/// department's leads (its approvers, who receive 督办).
/// </summary>
public static class Recipients
{
    /// <summary>An enterprise's inbox.</summary>
    public static string Enterprise(string uscc) => "enterprise:" + uscc.Trim().ToUpperInvariant();

    /// <summary>A person's own inbox.</summary>
    public static string User(string userId) => "user:" + userId.Trim();

    /// <summary>A department's work queue.</summary>
    public static string Department(string department) => "department:" + department.Trim();

    /// <summary>A department's leads.</summary>
    public static string DepartmentLeads(string department) => "department-leads:" + department.Trim();

    /// <summary>Every inbox a signed-in caller reads, from the token's claims only.</summary>
    public static IReadOnlyList<string> Of(ClaimsPrincipal user)
    {
        var keys = new List<string>(4);
        if (user.FindFirstValue(PlatformClaims.Subject) is { Length: > 0 } subject)
        {
            keys.Add(User(subject));
        }
        if (user.IsInRole(PlatformRoles.Enterprise) && user.FindFirstValue(PlatformClaims.Uscc) is { Length: > 0 } uscc)
        {
            keys.Add(Enterprise(uscc));
        }
        if (user.FindFirstValue(PlatformClaims.Department) is { Length: > 0 } department &&
            (user.IsInRole(PlatformRoles.WindowClerk) || user.IsInRole(PlatformRoles.Reviewer) || user.IsInRole(PlatformRoles.Approver)))
        {
            keys.Add(Department(department));
            if (user.IsInRole(PlatformRoles.Approver))
            {
                keys.Add(DepartmentLeads(department));
            }
        }
        return keys;
    }

    /// <summary>The inbox whose preferences the caller sets: the enterprise for its staff, else the person.</summary>
    public static string? PreferenceKeyOf(ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.Enterprise) && user.FindFirstValue(PlatformClaims.Uscc) is { Length: > 0 } uscc
            ? Enterprise(uscc)
            : user.FindFirstValue(PlatformClaims.Subject) is { Length: > 0 } subject ? User(subject) : null;
}
