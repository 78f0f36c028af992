using System.Net;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests;

/// <summary>The nonce store and the message log live in the exchange's database, so a restart forgets neither.</summary>
public sealed class ReplayAfterRestartTests(TemporaryDataDirectory data) : IClassFixture<TemporaryDataDirectory>
{
    [Fact]
    public async Task A_request_replayed_after_a_restart_is_refused_and_the_log_chain_continues_intact()
    {
        SignedRequest signed;
        await using (var first = new RestartedExchangePlatform(data.Path, data.Ports))
        {
            await first.InitializeAsync();
            var partner = first.Partner("330400");
            signed = partner.Prepare(HttpMethod.Get, "/api/partner/v1/matters");
            using var accepted = await partner.SendAsync(signed);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await using var second = new RestartedExchangePlatform(data.Path, data.Ports);
        await second.InitializeAsync();
        var client = second.Partner("330400");
        var before = second.Footprint();

        using var replay = await client.SendAsync(signed);

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("replayed-nonce", (await PartnerClient.ReadAsync(replay)).GetProperty("code").GetString());
        Assert.Equal(before, second.Footprint());

        using var fresh = await client.SendAsync(HttpMethod.Get, "/api/partner/v1/matters");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/exchange/admin/log/verify");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await second.UserTokenAsync("admin"));
        using var verify = await second.Gateway.SendAsync(request);
        var verification = await PartnerClient.ReadAsync(verify);
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.Equal(2, verification.GetProperty("records").GetInt64());
    }
}
