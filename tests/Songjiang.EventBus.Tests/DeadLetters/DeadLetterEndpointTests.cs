using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.DeadLetters;

/// <summary>The admin endpoints as an operator uses them, with tokens signed by a test key and the "admin" policy enforced.</summary>
public sealed class DeadLetterEndpointTests
{
    private static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task An_operator_lists_a_dead_letter_and_replays_it_after_the_fix()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions("cases", new InMemoryFixture())
        {
            Script = new HandlerScript { FailingPrefix = "POISON" },
            Configure = AddTokenAuthentication,
            Map = web => web.MapEventBusAdminEndpoints("api/cases"),
        });
        using var http = new HttpClient { BaseAddress = app.Address };
        var poison = new SampleSubmittedIntegrationEvent("POISON-7");
        var store = app.Services.GetRequiredService<IDeadLetterStore>();
        await app.Services.GetRequiredService<IEventBus>().PublishAsync(poison, TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(async () => (await store.ListAsync(10, CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(20), "the event is dead-lettered");

        var anonymous = await http.GetAsync("api/cases/admin/dead-letters", TestContext.Current.CancellationToken);
        var caseworker = await SendAsync(http, HttpMethod.Get, "api/cases/admin/dead-letters", "caseworker");
        var badLimit = await SendAsync(http, HttpMethod.Get, "api/cases/admin/dead-letters?limit=0", "admin");
        var listed = await SendAsync(http, HttpMethod.Get, "api/cases/admin/dead-letters", "admin");
        var unknown = await SendAsync(http, HttpMethod.Post, $"api/cases/admin/dead-letters/{Guid.NewGuid()}/replay", "admin");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, caseworker.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var deadLetter = Assert.Single((await listed.Content.ReadFromJsonAsync<DeadLetter[]>(TestContext.Current.CancellationToken))!);
        Assert.Equal(poison.Id.ToString(), deadLetter.MessageId);
        Assert.Contains("Scripted failure", deadLetter.Reason, StringComparison.Ordinal);

        app.Script.FailingPrefix = null;
        var replayed = await SendAsync(http, HttpMethod.Post, $"api/cases/admin/dead-letters/{poison.Id}/replay", "admin");

        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        await Eventually.HoldsAsync(() => app.Script.Handled.Contains(poison.Id), TimeSpan.FromSeconds(20), "the replayed event is handled");
    }

    private static void AddTokenAuthentication(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = "songjiang-test",
                ValidAudience = "songjiang",
                IssuerSigningKey = SigningKey,
                RoleClaimType = "role",
            };
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy("admin", policy => policy.RequireRole("admin"));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string role)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "songjiang-test",
            Audience = "songjiang",
            Claims = new Dictionary<string, object> { ["sub"] = "operator-1", ["role"] = role },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        }));
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
