using Songjiang.Testing;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

[assembly: AssemblyFixture(typeof(Songjiang.Licenses.Tests.Support.LicensesFixture))]

namespace Songjiang.Licenses.Tests.Support;

/// <summary>
/// One embedded platform for the whole assembly, with the gateway route that lets anyone reach the public
/// verification endpoints without a token (the platform's gateway configuration carries the same route).
/// </summary>
public sealed class LicensesFixture : PlatformFixture
{
    /// <summary>The seeded market-regulation authority (营业执照, 食品经营许可证).</summary>
    public const string MarketRegulation = "11310117002426838Q";

    /// <summary>The seeded human-resources authority.</summary>
    public const string HumanResources = "11310117002432977A";

    /// <summary>USCC of ent-zhisuan.</summary>
    public const string Zhisuan = "91310117MA1J3GKL0Q";

    /// <summary>USCC of ent-g60bio.</summary>
    public const string G60Bio = "91310117MA1H8BXR2W";

    private readonly Dictionary<string, string> _tokens = [];
    private readonly SemaphoreSlim _tokenLock = new(1, 1);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Gateway:RateLimit:Burst", "100000"),
        new("Gateway:RateLimit:TokensPerPeriod", "100000"),
        // Approvals that cannot yield a licence reach the dead letters after the usual retries, quickly.
        new("EventBus:RetryBaseDelay", "00:00:00.02"),
        new("EventBus:RetryMaxDelay", "00:00:00.2"),
    ];

    /// <summary>A demo user's token, fetched once.</summary>
    public async Task<string> TokenAsync(string user)
    {
        await _tokenLock.WaitAsync();
        try
        {
            if (!_tokens.TryGetValue(user, out var token))
            {
                token = await UserTokenAsync(user);
                _tokens[user] = token;
            }
            return token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    /// <summary>Sends a request through the gateway, with the user's token when a user is given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        }
        if (body is string text)
        {
            request.Content = new StringContent(text, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Gateway.SendAsync(request);
    }

    /// <summary>Issues a business licence (营业执照) to a holder as scj-approver and returns the licence number.</summary>
    public async Task<string> IssueBusinessLicenceAsync(string holderUscc = Zhisuan, string holderName = "上海松江智算科技有限公司", string? applicationId = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/licenses", "scj-approver", BusinessLicence(holderUscc, holderName, applicationId));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"issue failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("licence").GetProperty("number").GetString()!;
    }

    /// <summary>A valid issuance request for a business licence.</summary>
    public static object BusinessLicence(string holderUscc, string holderName, string? applicationId = null) => new
    {
        typeCode = "business-licence",
        holder = new { name = holderName, uscc = holderUscc },
        fields = new Dictionary<string, object>
        {
            ["legalRepresentative"] = "张明",
            ["entityType"] = "有限责任公司",
            ["registeredCapitalTenThousandYuan"] = 1000,
            ["establishedOn"] = "2021-03-15",
            ["address"] = "上海市松江区新桥镇新飞路1500号",
            ["businessScope"] = "人工智能基础软件开发；技术服务、技术开发、技术咨询。",
        },
        applicationId,
    };

    /// <summary>The sealed document of a licence, as its holder downloads it.</summary>
    public async Task<string> DocumentAsync(string number, string user = "scj-approver")
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/licenses/{number}/document", user);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"document failed: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>Verifies a document offline and returns the answer.</summary>
    /// <summary>Puts a partner city's issuer on the trust list (as the administrator) and returns it.</summary>
    public async Task<PartnerIssuer> TrustAsync(PartnerIssuer partner, DateTimeOffset? validFrom = null, DateTimeOffset? validUntil = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/licenses/trust-list", "admin", partner.TrustRequest(validFrom, validUntil));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return partner;
    }

    public async Task<JsonElement> VerifyDocumentAsync(string document)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/licenses/public/verify", null, document);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"verify failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The outcome of a verification answer.</summary>
    public static string OutcomeOf(JsonElement answer) => answer.GetProperty("outcome").GetString()!;

    public override async ValueTask DisposeAsync()
    {
        _tokenLock.Dispose();
        await base.DisposeAsync();
    }
}
