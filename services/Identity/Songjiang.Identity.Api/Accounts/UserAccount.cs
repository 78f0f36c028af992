namespace Songjiang.Identity.Api.Accounts;

/// <summary>A person who signs in: enterprise staff, a caseworker or an administrator.</summary>
public sealed class UserAccount
{
    /// <summary>Stable id, the token subject.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Sign-in name, unique.</summary>
    public required string UserName { get; set; }

    /// <summary>Name shown to people.</summary>
    public required string DisplayName { get; set; }

    /// <summary>PBKDF2 hash from <see cref="Microsoft.AspNetCore.Identity.PasswordHasher{TUser}"/>.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Platform roles.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Unified social credit code of the enterprise an enterprise user acts for.</summary>
    public string? Uscc { get; set; }

    /// <summary>Name of that enterprise.</summary>
    public string? EnterpriseName { get; set; }

    /// <summary>
    /// Credit codes of enterprises the user registered (企业开办) as legal representative or authorised agent and so
    /// may act for, added when the register announces the registration (<c>enterprises.enterprise-registered.v1</c>).
    /// </summary>
    public List<string> ActsFor { get; set; } = [];

    /// <summary>Department code of a caseworker.</summary>
    public string? Department { get; set; }

    /// <summary>GB/T 2260 code of the user's city.</summary>
    public string? CityCode { get; set; }

    /// <summary>A disabled account cannot sign in or refresh tokens.</summary>
    public bool IsEnabled { get; set; } = true;
}
