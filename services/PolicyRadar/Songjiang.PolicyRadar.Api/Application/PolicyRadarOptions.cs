using System.ComponentModel.DataAnnotations;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>Settings of the policy radar (section <c>PolicyRadar</c>).</summary>
public sealed class PolicyRadarOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "PolicyRadar";

    /// <summary>The officer departments when none are configured.</summary>
    public static readonly string[] DefaultOfficerDepartments = ["science-technology", "development-reform", "economy", "human-resources", "finance"];

    /// <summary>
    /// Departments whose caseworkers are policy officers: window clerks draft, reviewers review, approvers publish.
    /// Empty means <see cref="DefaultOfficerDepartments"/> (configuration replaces the list rather than adding to it).
    /// </summary>
    public string[] OfficerDepartments { get; set; } = [];

    /// <summary>Load the district's policies from the seed files at first start.</summary>
    public bool SeedPolicies { get; set; } = true;

    /// <summary>Read every profile from the enterprise service once (restartable) to build the read model.</summary>
    public bool SyncEnterprises { get; set; } = true;

    /// <summary>Profiles per page of the sync.</summary>
    [Range(1, 1000)]
    public int SyncPageSize { get; set; } = 200;

    /// <summary>How often each replica looks for policies and profiles changed by another replica.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
