using Songjiang.ServiceDefaults.Authentication;
using System.Security.Claims;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>Who is calling and what the radar lets them do.</summary>
public sealed class RadarCaller(ClaimsPrincipal user, PolicyRadarOptions options)
{
    /// <summary>User or client id.</summary>
    public string Id => user.FindFirstValue(PlatformClaims.Subject) ?? "anonymous";

    /// <summary>The enterprise an enterprise user acts for.</summary>
    public string? Uscc => user.FindFirstValue(PlatformClaims.Uscc);

    /// <summary>A caseworker's department.</summary>
    public string? Department => user.FindFirstValue(PlatformClaims.Department);

    /// <summary>Platform administrator.</summary>
    public bool IsAdmin => user.IsInRole(PlatformRoles.Admin);

    /// <summary>A platform service acting on its own behalf.</summary>
    public bool IsService => user.IsInRole(PlatformRoles.Service);

    /// <summary>Staff of an enterprise.</summary>
    public bool IsEnterprise => user.IsInRole(PlatformRoles.Enterprise) && Uscc is not null;

    /// <summary>A caseworker of a policy department in any role.</summary>
    public bool IsOfficer => Department is { } department && options.OfficerDepartments.Contains(department, StringComparer.Ordinal) &&
        (user.IsInRole(PlatformRoles.WindowClerk) || user.IsInRole(PlatformRoles.Reviewer) || user.IsInRole(PlatformRoles.Approver));

    /// <summary>Drafts and edits policies: any officer.</summary>
    public bool CanDraft => IsAdmin || IsOfficer;

    /// <summary>Reviews submitted drafts: officers with the reviewer role.</summary>
    public bool CanReview => IsAdmin || (IsOfficer && user.IsInRole(PlatformRoles.Reviewer));

    /// <summary>Publishes reviewed drafts: officers with the approver role.</summary>
    public bool CanPublish => IsAdmin || (IsOfficer && user.IsInRole(PlatformRoles.Approver));

    /// <summary>Sees drafts, every enterprise's matches and a policy's eligible enterprises.</summary>
    public bool CanSeeAll => IsAdmin || IsOfficer;

    /// <summary>Reads an enterprise's matches and subscriptions: its own staff, officers, admins and services.</summary>
    public bool CanSeeEnterprise(string uscc) => CanSeeAll || IsService || (IsEnterprise && string.Equals(Uscc, uscc, StringComparison.Ordinal));

    /// <summary>Changes an enterprise's subscriptions: its own staff and admins.</summary>
    public bool CanManageSubscriptions(string uscc) => IsAdmin || (IsEnterprise && string.Equals(Uscc, uscc, StringComparison.Ordinal));
}
