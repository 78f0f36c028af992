using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.ServiceDefaults.Authentication;

/// <summary>An account as the identity service's staff directory describes it.</summary>
/// <param name="Id">The account id, which is the <c>sub</c> of its tokens.</param>
/// <param name="UserName">The account name.</param>
/// <param name="DisplayName">The name people read.</param>
/// <param name="Roles">Its roles (<see cref="PlatformRoles"/>).</param>
/// <param name="Department">A caseworker's department.</param>
/// <param name="CityCode">The city the account belongs to.</param>
public sealed record StaffMember(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Department, string? CityCode)
{
    /// <summary>A caseworker (window clerk, reviewer or approver) of this department.</summary>
    public bool IsCaseworkerOf(string department) =>
        string.Equals(Department, department, StringComparison.Ordinal) &&
        Roles.Any(r => r is PlatformRoles.WindowClerk or PlatformRoles.Reviewer or PlatformRoles.Approver);
}

/// <summary>
/// Checks people against the identity service (<c>GET /account/users/{id}</c>, as the platform service account):
/// whoever a service records as responsible for something must be a real, enabled account, and the name it
/// stores is the directory's, never one a caller sent. Never call it inside a database transaction.
/// </summary>
public sealed class StaffDirectory(HttpClient http)
{
    /// <summary>The enabled account with this id or account name, or null when there is none.</summary>
    /// <exception cref="DependencyUnavailableException">The identity service cannot be reached.</exception>
    public async Task<StaffMember?> FindAsync(string idOrUserName, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"account/users/{Uri.EscapeDataString(idOrUserName)}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<StaffMember>(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new DependencyUnavailableException("暂时无法核对人员信息（统一身份认证服务不可用），请稍后重试。", e);
        }
    }
}

/// <summary>Registers the <see cref="StaffDirectory"/>.</summary>
public static class StaffDirectoryExtensions
{
    /// <summary>Adds the staff directory client, calling the identity service by its logical name as the service account.</summary>
    public static IServiceCollection AddStaffDirectory(this IServiceCollection services)
    {
        services.AddHttpClient<StaffDirectory>(http => http.BaseAddress = new Uri("http://identity/")).AddServiceAccountToken();
        return services;
    }
}
