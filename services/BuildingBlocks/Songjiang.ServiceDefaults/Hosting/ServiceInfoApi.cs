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
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return TypedResults.Ok(new ServiceInfo(
            serviceName,
            configuration["Service:Title"] ?? serviceName,
            version,
            environment.EnvironmentName,
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
    public sealed record ServiceInfo(string Service, string Title, string Version, string Environment, CallerInfo Caller);

    /// <summary>The caller's identity from its token.</summary>
    public sealed record CallerInfo(
        string? Subject, string? Name, string? ClientId, IReadOnlyList<string> Roles, string? Uscc, string? Department, string? City);
}
