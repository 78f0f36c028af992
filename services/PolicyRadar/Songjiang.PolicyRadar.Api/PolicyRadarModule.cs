using Songjiang.PolicyRadar.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.PolicyRadar.Api;

/// <summary>The policyradar service's composition, for its own process and for the embedded host.</summary>
public static class PolicyRadarModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "policyradar",
        "Songjiang Policy Radar (政策雷达)",
        typeof(PolicyRadarModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapPolicyRadarApi());
}
