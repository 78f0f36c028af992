using Songjiang.Identity.Api.Throttling;
using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Validation.AspNetCore;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Identity.Api.Features;

/// <summary>Administrators see which account names are locked after wrong passwords, and unlock them.</summary>
public static class LockoutApi
{
    /// <summary>The authorization policy: an administrator's access token.</summary>
    public const string AdminPolicy = "identity-admin";

    /// <summary>Maps <c>GET /account/lockouts</c> and <c>DELETE /account/lockouts/{userName}</c>.</summary>
    public static IEndpointRouteBuilder MapLockoutApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/account/lockouts").WithTags("Account lockouts").DisableAntiforgery()
            .RequireAuthorization(AdminPolicy);
        group.MapGet("/", ListAsync)
            .WithName("ListLockouts")
            .WithSummary("Account names locked after too many wrong passwords, with when each lock ends.");
        group.MapDelete("/{userName}", UnlockAsync)
            .WithName("Unlock")
            .WithSummary("Lifts the lock of an account name and forgets its wrong passwords.");
        return endpoints;
    }

    /// <summary>Registers the policy on the identity service's own token validation.</summary>
    public static void AddLockoutPolicy(this IServiceCollection services) =>
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireRole(PlatformRoles.Admin));

    private static async Task<Ok<List<Lockout>>> ListAsync(AttemptThrottle throttle, CancellationToken cancellationToken)
    {
        var locked = await throttle.LockedAsync(AttemptThrottle.Account, cancellationToken);
        return TypedResults.Ok(locked.Select(l => new Lockout(l.Subject, ChinaTime.InChina(l.LockedUntil))).ToList());
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> UnlockAsync(
        string userName, AttemptThrottle throttle, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!await throttle.ResetAsync(AttemptThrottle.KeyOf(AttemptThrottle.Account, userName), cancellationToken))
        {
            return TypedResults.NotFound(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = ProblemTitles.NotFound,
                Detail = $"账号 {userName} 没有被锁定，也没有待清除的密码错误记录。",
            });
        }
        loggers.CreateLogger(typeof(LockoutApi)).LogWarning("Administrator unlocked the account name {UserName}", userName);
        return TypedResults.NoContent();
    }

    /// <summary>A locked account name and when its lock ends (China Standard Time).</summary>
    public sealed record Lockout(string UserName, DateTimeOffset LockedUntil);
}
