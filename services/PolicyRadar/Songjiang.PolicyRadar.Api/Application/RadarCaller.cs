using Songjiang.ServiceDefaults.Authentication;
using System.Security.Claims;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>Who is calling and what the radar lets them do.</summary>
public sealed class RadarCaller(ClaimsPrincipal user, PolicyRadarOptions options)
{
    private readonly Caller _caller = new(user);

    /// <summary>User or client id.</summary>
    public string Id => _caller.Id;

    /// <summary>The enterprise an enterprise user acts for.</summary>
    public string? Uscc => _caller.Uscc;

    /// <summary>A caseworker's department.</summary>
    public string? Department => _caller.Department;

    /// <summary>Platform administrator.</summary>
    public bool IsAdmin => _caller.IsAdmin;

    /// <summary>A platform service acting on its own behalf.</summary>
    public bool IsService => _caller.IsService;

    /// <summary>Staff of an enterprise.</summary>
    public bool IsEnterprise => _caller.IsEnterprise;

    /// <summary>A caseworker of a policy department in any role.</summary>
    public bool IsOfficer => _caller.IsCaseworker && options.OfficerDepartments.Contains(_caller.Department!, StringComparer.Ordinal);

    /// <summary>Drafts and edits policies: any officer.</summary>
    public bool CanDraft => IsAdmin || IsOfficer;

    /// <summary>Reviews submitted drafts: officers with the reviewer role.</summary>
    public bool CanReview => IsAdmin || (IsOfficer && _caller.IsReviewer);

    /// <summary>Publishes reviewed drafts: officers with the approver role.</summary>
    public bool CanPublish => IsAdmin || (IsOfficer && _caller.IsApprover);

    /// <summary>Sees drafts, every enterprise's matches and a policy's eligible enterprises.</summary>
    public bool CanSeeAll => IsAdmin || IsOfficer;

    /// <summary>Reads an enterprise's matches and subscriptions: its own staff, officers, admins and services.</summary>
    public bool CanSeeEnterprise(string uscc) => CanSeeAll || IsService || _caller.ActsFor(uscc);

    /// <summary>Changes an enterprise's subscriptions: its own staff and admins.</summary>
    public bool CanManageSubscriptions(string uscc) => IsAdmin || _caller.ActsFor(uscc);
}
