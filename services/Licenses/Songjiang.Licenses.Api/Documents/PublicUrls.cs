using Microsoft.Extensions.Options;
using Songjiang.Licenses.Api.Extensions;

namespace Songjiang.Licenses.Api.Documents;

/// <summary>The public addresses written into licences: verification page and status lists, through the gateway.</summary>
public sealed class PublicUrls(IOptions<LicensesOptions> options, IConfiguration configuration)
{
    /// <summary>The public base address, without a trailing slash.</summary>
    public string Base { get; } = (options.Value.PublicBaseUrl ?? configuration["Authentication:Authority"]
        ?? throw new InvalidOperationException("Set Licenses:PublicBaseUrl (or Authentication:Authority).")).TrimEnd('/');

    /// <summary>Where anyone verifies a licence online.</summary>
    public string Verification(string number) => $"{Base}/api/licenses/public/verify/{Uri.EscapeDataString(number)}";

    /// <summary>A status list by purpose (<c>revocation</c> or <c>suspension</c>).</summary>
    public string StatusList(string purpose) => $"{Base}/api/licenses/public/status-lists/{purpose}";
}
