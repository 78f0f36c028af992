using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Identity.Api.Infrastructure;
using Songjiang.Identity.Api.Throttling;
using System.Globalization;

namespace Songjiang.Identity.Api.Accounts;

/// <summary>The outcome of a sign-in: the account, or why not.</summary>
/// <param name="User">The signed-in account; null when refused.</param>
/// <param name="LockedUntil">Set when the account name is locked after too many wrong passwords.</param>
public sealed record SignInOutcome(UserAccount? User, DateTimeOffset? LockedUntil)
{

    /// <summary>What to tell the person, in Chinese, when the sign-in was refused.</summary>
    public string Refusal => LockedUntil is { } until
        ? $"密码错误次数过多，账号已暂时锁定，请于 {ChinaTime.Minute(until)}（北京时间）后再试，或请管理员解锁。"
        : "用户名或密码错误。";
}

/// <summary>Finds accounts and checks their passwords, counting wrong ones (5 in 15 minutes lock the account name).</summary>
public sealed class AccountStore(
    IdentityDbContext db, IPasswordHasher<UserAccount> passwordHasher, AttemptThrottle throttle, IOptions<ThrottlingOptions> throttling)
{
    /// <summary>
    /// Signs in with a name and password. Unknown names and wrong passwords look alike and are counted alike (by the
    /// name as typed), so a lock says nothing about whether the account exists; while locked even the right password
    /// is refused.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return new SignInOutcome(null, null);
        }
        var key = AttemptThrottle.KeyOf(AttemptThrottle.Account, userName);
        if (await throttle.LockedUntilAsync(key, cancellationToken) is { } lockedUntil)
        {
            return new SignInOutcome(null, lockedUntil);
        }

        var name = userName.Trim();
        var user = name.Length > 64 ? null : await db.Users.SingleOrDefaultAsync(u => u.UserName == name, cancellationToken);
        if (user is null || !user.IsEnabled || user.PasswordHash.Length == 0
            || passwordHasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            return new SignInOutcome(null, await throttle.RecordFailureAsync(key, throttling.Value.Accounts, cancellationToken));
        }
        await throttle.ResetAsync(key, cancellationToken);
        return new SignInOutcome(user, null);
    }

    /// <summary>The enabled account with this id (a token subject), or null.</summary>
    public async Task<UserAccount?> FindEnabledAsync(string? subject, CancellationToken cancellationToken) =>
        Guid.TryParse(subject, out var id)
            ? await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.IsEnabled, cancellationToken)
            : null;
}
