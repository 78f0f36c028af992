using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Songjiang.Portal.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;

namespace Songjiang.Portal.Authentication;

/// <summary>
/// Keeps the authentication ticket — and with it the access and refresh tokens — in the portal's database
/// (backend for frontend): the browser's cookie holds only a random session key. Any replica reads the session;
/// signing out deletes it, so a copied cookie is worthless afterwards.
/// </summary>
public sealed class DatabaseTicketStore(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock) : ITicketStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("Songjiang.Portal.Sessions.v1");

    /// <inheritdoc />
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Sessions.Add(new PortalSession
        {
            Key = key,
            Subject = ticket.Principal.FindFirst(PlatformClaims.Subject)?.Value ?? "",
            Ticket = Protect(ticket),
            ExpiresAt = ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddHours(8),
            UpdatedAt = clock.GetUtcNow(),
        });
        // Sessions that ran out are removed as new ones start, so the table does not grow without bound.
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync();
        await db.SaveChangesAsync();
        return key;
    }

    /// <inheritdoc />
    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var session = await db.Sessions.FindAsync(key);
        if (session is null)
        {
            return;
        }
        session.Ticket = Protect(ticket);
        session.ExpiresAt = ticket.Properties.ExpiresUtc ?? session.ExpiresAt;
        session.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync();
    }

    /// <inheritdoc />
    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Key == key);
        if (session is null || session.ExpiresAt < clock.GetUtcNow())
        {
            return null;
        }
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(session.Ticket));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Sessions.Where(s => s.Key == key).ExecuteDeleteAsync();
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));
}

/// <summary>Hands the cookie handler the store (it is created before the container is built).</summary>
public sealed class ConfigureTicketStore(DatabaseTicketStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    /// <inheritdoc />
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == PortalAuthentication.CookieScheme)
        {
            options.SessionStore = store;
        }
    }
}
