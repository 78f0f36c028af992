using Songjiang.Identity.Api.Extensions;
using System.Text.Json;

namespace Songjiang.Identity.Api.Accounts;

/// <summary>The demo profile's accounts and clients, read from the embedded seed file.</summary>
public sealed class DemoAccounts
{
    private const string ResourceName = "Songjiang.Identity.Api.Seed.demo-accounts.json";

    /// <summary>The one password of every demo user.</summary>
    public string Password { get; init; } = "";

    /// <summary>Demo users.</summary>
    public List<DemoUser> Users { get; init; } = [];

    /// <summary>Demo clients (the nine partner cities among them).</summary>
    public List<ClientDefinition> Clients { get; init; } = [];

    /// <summary>Loads the seed file.</summary>
    public static DemoAccounts Load()
    {
        using var stream = typeof(DemoAccounts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Missing embedded seed {ResourceName}.");
        return JsonSerializer.Deserialize<DemoAccounts>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"Empty seed {ResourceName}.");
    }
}

/// <summary>A demo user as written in the seed file.</summary>
public sealed record DemoUser(
    string UserName,
    string DisplayName,
    List<string> Roles,
    string? Uscc = null,
    string? EnterpriseName = null,
    string? Department = null,
    string? CityCode = null);
