using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Validation.AspNetCore;
using Songjiang.Identity.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;

namespace Songjiang.Identity.Api.Features;

/// <summary>
/// The staff directory other services check people against: whether an account exists and is enabled, its display
/// name, department and roles (an account manager must be a real caseworker; a task is handed only to a caseworker
/// of its department).
/// </summary>
public static class UsersApi
{
    /// <summary>The authorization policy: platform services, administrators and caseworkers.</summary>
    public const string DirectoryPolicy = "identity-directory";

    /// <summary>Maps <c>GET /account/users/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/account/users/{id}", GetAsync).WithTags("Staff directory").RequireAuthorization(DirectoryPolicy)
            .WithName("GetUser")
            .WithSummary("An enabled account by id (token subject) or account name: display name, department and roles.");
        return endpoints;
    }

    /// <summary>Registers the policy on the identity service's own token validation.</summary>
    public static void AddDirectoryPolicy(this IServiceCollection services) =>
        services.AddAuthorizationBuilder().AddPolicy(DirectoryPolicy, policy => policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAssertion(context => new Caller(context.User) is { } caller && (caller.IsService || caller.IsAdmin || caller.IsCaseworker)));

    private static async Task<Results<Ok<DirectoryEntry>, NotFound<ProblemDetails>>> GetAsync(
        string id, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var user = Guid.TryParse(id, out var guid)
            ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == guid && u.IsEnabled, cancellationToken)
            : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == id && u.IsEnabled, cancellationToken);
        return user is null
            ? TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "账号不存在", Detail = $"没有启用中的账号“{id}”。" })
            : TypedResults.Ok(new DirectoryEntry(user.Id.ToString(), user.UserName, user.DisplayName, user.Roles, user.Department, user.CityCode));
    }
}

/// <summary>An account as other services see it.</summary>
public sealed record DirectoryEntry(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Department, string? CityCode);
