using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Songjiang.Identity.Api.Connect;
using Songjiang.Identity.Api.Extensions;
using Songjiang.Identity.Api.Infrastructure;
using Songjiang.Persistence;
using Songjiang.SharedKernel;

namespace Songjiang.Identity.Api.Accounts;

/// <summary>
/// Registers the scopes and the clients on every start. Clients from configuration are created or updated (their
/// secrets come from configuration only). In the demo profile the demo users and clients are added as well; outside
/// it every demo user is disabled and every demo client that configuration does not provision is removed, so a data
/// folder that once ran the demo profile keeps none of its well-known credentials.
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

        var configured = options.Value.Clients;
        var configuredIds = configured.Select(c => c.ClientId).ToHashSet(StringComparer.Ordinal);
        var demo = DemoAccounts.Load();
        var demoClients = demo.Clients.Where(c => !configuredIds.Contains(c.ClientId)).ToList();

        if (options.Value.DemoProfile)
        {
            await SeedUsersAsync(db, demo, cancellationToken);
            foreach (var client in demoClients)
            {
                await UpsertClientAsync(client, cancellationToken);
            }
        }
        else
        {
            await DisableDemoUsersAsync(db, demo, cancellationToken);
            foreach (var client in demoClients)
            {
                await RemoveClientAsync(client.ClientId, cancellationToken);
            }
        }
        foreach (var client in configured)
        {
            await UpsertClientAsync(client, cancellationToken);
        }
    }

    private async Task SeedUsersAsync(IdentityDbContext db, DemoAccounts demo, CancellationToken cancellationToken)
    {
        var names = demo.Users.Select(u => u.UserName).ToList();
        var existing = await db.Users.Where(u => names.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, cancellationToken);
        foreach (var user in demo.Users)
        {
            if (existing.TryGetValue(user.UserName, out var account))
            {
                if (!account.IsEnabled)
                {
                    // Back in the demo profile after a run without it: the demo account works again, with the demo password.
                    account.IsEnabled = true;
                    account.PasswordHash = passwordHasher.HashPassword(account, demo.Password);
                }
                continue;
            }
            if (user.Uscc is not null && !UnifiedSocialCreditCode.TryParse(user.Uscc, out _, out var error))
            {
                throw new InvalidOperationException($"Demo user {user.UserName}: {error}");
            }
            account = new UserAccount
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

    private async Task DisableDemoUsersAsync(IdentityDbContext db, DemoAccounts demo, CancellationToken cancellationToken)
    {
        var names = demo.Users.Select(u => u.UserName).ToList();
        var enabled = await db.Users.Where(u => names.Contains(u.UserName) && u.IsEnabled).ToListAsync(cancellationToken);
        foreach (var account in enabled)
        {
            // Disabled accounts can neither sign in nor refresh; the well-known password is wiped as well.
            account.IsEnabled = false;
            account.PasswordHash = "";
            logger.LogWarning("Demo profile is off: disabled the demo account {UserName}", account.UserName);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task RemoveClientAsync(string clientId, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application)
        {
            // Deleting the application also deletes its authorizations and refresh tokens.
            await applications.DeleteAsync(application, cancellationToken);
            logger.LogWarning("Demo profile is off: removed the demo client {ClientId}", clientId);
        }
    }

    private async Task UpsertClientAsync(ClientDefinition client, CancellationToken cancellationToken)
    {
        var descriptor = ClientDescriptors.Create(client, new Uri(options.Value.Issuer));
        if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is { } application)
        {
            // The record follows its definition: a changed secret, grant or redirect takes effect at the next start.
            await applications.UpdateAsync(application, descriptor, cancellationToken);
            return;
        }
        await applications.CreateAsync(descriptor, cancellationToken);
        logger.LogInformation("Registered client {ClientId} ({DisplayName})", client.ClientId, client.DisplayName);
    }
}
