using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Songjiang.Identity.Api.Connect;
using Songjiang.Identity.Api.Extensions;
using Songjiang.Identity.Api.Infrastructure;
using Songjiang.Persistence;
using Songjiang.SharedKernel;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Identity.Api.Accounts;

/// <summary>
/// Registers the scopes, the configured clients and, in the demo profile, the demo users and clients.
/// Adds what is missing and leaves existing records alone, so it runs on every start.
/// </summary>
public sealed class AccountSeeder(
    IOptions<IdentityServerOptions> options,
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    IPasswordHasher<UserAccount> passwordHasher,
    ILogger<AccountSeeder> logger) : IDatabaseSeeder<IdentityDbContext>
{
    /// <inheritdoc />
    public async Task SeedAsync(IdentityDbContext db, CancellationToken cancellationToken)
    {
        if (await scopes.FindByNameAsync(PlatformScopes.Api, cancellationToken) is null)
        {
            await scopes.CreateAsync(new OpenIddictScopeDescriptor
            {
                Name = PlatformScopes.Api,
                DisplayName = "Songjiang platform API",
                Resources = { PlatformScopes.ApiResource },
            }, cancellationToken);
        }

        var clients = new List<ClientDefinition>(options.Value.Clients);
        if (options.Value.DemoProfile)
        {
            var demo = DemoAccounts.Load();
            clients.AddRange(demo.Clients);
            await SeedUsersAsync(db, demo, cancellationToken);
        }
        foreach (var client in clients)
        {
            await SeedClientAsync(client, cancellationToken);
        }
    }

    private async Task SeedUsersAsync(IdentityDbContext db, DemoAccounts demo, CancellationToken cancellationToken)
    {
        var existing = await db.Users.Select(u => u.UserName).ToHashSetAsync(cancellationToken);
        foreach (var user in demo.Users.Where(u => !existing.Contains(u.UserName)))
        {
            if (user.Uscc is not null && !UnifiedSocialCreditCode.TryParse(user.Uscc, out _, out var error))
            {
                throw new InvalidOperationException($"Demo user {user.UserName}: {error}");
            }
            var account = new UserAccount
            {
                UserName = user.UserName,
                DisplayName = user.DisplayName,
                Roles = user.Roles,
                Uscc = user.Uscc,
                EnterpriseName = user.EnterpriseName,
                Department = user.Department,
                CityCode = user.CityCode,
            };
            account.PasswordHash = passwordHasher.HashPassword(account, demo.Password);
            db.Users.Add(account);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task SeedClientAsync(ClientDefinition client, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is not null)
        {
            return;
        }
        await applications.CreateAsync(ClientDescriptors.Create(client, new Uri(options.Value.Issuer)), cancellationToken);
        logger.LogInformation("Registered client {ClientId} ({DisplayName})", client.ClientId, client.DisplayName);
    }
}
