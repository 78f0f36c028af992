using System.Net;
using System.Net.Http.Json;

namespace Songjiang.Licenses.Api.Infrastructure;

/// <summary>Reads a holder's registered details from the enterprises service (by logical name, as the service account).</summary>
public sealed class EnterpriseRegister(HttpClient http)
{
    /// <summary>The profile, null when the register has no such enterprise; throws when the register cannot be reached.</summary>
    public async Task<RegisteredEnterprise?> FindAsync(string uscc, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/enterprises/{Uri.EscapeDataString(uscc)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<RegisteredEnterprise>(cancellationToken);
    }
}

/// <summary>The registered details a licence may print.</summary>
public sealed record RegisteredEnterprise(string Uscc, string? Name, string? LegalRepresentative, string? RegisteredAddress)
{
    /// <summary>A field by its name in the matter-licence map.</summary>
    public string? Field(string name) => name switch
    {
        "name" => Name,
        "legalRepresentative" => LegalRepresentative,
        "registeredAddress" => RegisteredAddress,
        _ => null,
    };
}
