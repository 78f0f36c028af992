using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Songjiang.ServiceDefaults.Authentication;
using System.Reflection;
using System.Security.Claims;

namespace Songjiang.ServiceDefaults.Hosting;

/// <summary>
/// <c>GET /api/{service}/about</c>: which service and version answered, and the caller as this service sees it —
/// what an operator checks after a deployment and a partner city checks when its token is refused elsewhere.
/// The environment and the commit the build came from are shown to administrators only.
/// </summary>
public static class ServiceInfoApi
{
    /// <summary>Maps the endpoint for authenticated callers.</summary>
    public static IEndpointRouteBuilder MapServiceInfoApi(this IEndpointRouteBuilder endpoints, string serviceName)
    {
        endpoints.MapGet($"/api/{serviceName}/about", (ClaimsPrincipal user, IConfiguration configuration, IWebHostEnvironment environment) =>
                Describe(serviceName, user, configuration, environment))
            .WithName($"{serviceName}-about")
            .WithSummary("The answering service, its version, and the caller's identity as the service sees it.")
            .WithTags("Service")
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static Ok<ServiceInfo> Describe(string serviceName, ClaimsPrincipal user, IConfiguration configuration, IWebHostEnvironment environment)
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(ServiceInfoApi).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        // "1.2.3+<commit>": the part after '+' is the source revision.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? null : informational[(plus + 1)..];
        var admin = user.IsInRole(PlatformRoles.Admin);
        return TypedResults.Ok(new ServiceInfo(
            serviceName,
            configuration["Service:Title"] ?? serviceName,
            version,
            admin ? environment.EnvironmentName : null,
            admin ? commit ?? "unknown" : null,
            new CallerInfo(
                user.FindFirstValue(PlatformClaims.Subject),
                user.FindFirstValue(PlatformClaims.Name),
                user.FindFirstValue(PlatformClaims.ClientId),
                [.. user.FindAll(PlatformClaims.Role).Select(c => c.Value)],
                user.FindFirstValue(PlatformClaims.Uscc),
                user.FindFirstValue(PlatformClaims.Department),
                user.FindFirstValue(PlatformClaims.City))));
    }

    /// <summary>The answer.</summary>
    /// <param name="Service">The logical service name.</param>
    /// <param name="Title">The service's title.</param>
    /// <param name="Version">The build's version, without its source revision.</param>
    /// <param name="Environment">The hosting environment; administrators only.</param>
    /// <param name="Commit">The source revision the build came from; administrators only.</param>
    /// <param name="Caller">The caller as the service sees it.</param>
    public sealed record ServiceInfo(string Service, string Title, string Version, string? Environment, string? Commit, CallerInfo Caller);

    /// <summary>The caller's identity from its token.</summary>
    public sealed record CallerInfo(
        string? Subject, string? Name, string? ClientId, IReadOnlyList<string> Roles, string? Uscc, string? Department, string? City);
}
