using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Songjiang.Identity.Api.Infrastructure;

namespace Songjiang.Identity.Api.Accounts;

/// <summary>Finds accounts and checks their passwords.</summary>
public sealed class AccountStore(IdentityDbContext db, IPasswordHasher<UserAccount> passwordHasher)
{
    /// <summary>The enabled account with this name and password, or null. Unknown names and wrong passwords look alike.</summary>
    public async Task<UserAccount?> FindByCredentialsAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return null;
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName.Trim(), cancellationToken);
        if (user is null || !user.IsEnabled)
        {
            return null;
        }
        return passwordHasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed
            ? null
            : user;
    }

    /// <summary>The enabled account with this id (a token subject), or null.</summary>
    public async Task<UserAccount?> FindEnabledAsync(string? subject, CancellationToken cancellationToken) =>
        Guid.TryParse(subject, out var id)
            ? await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.IsEnabled, cancellationToken)
            : null;
}
