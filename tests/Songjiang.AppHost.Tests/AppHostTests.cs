using System.Net;

namespace Songjiang.AppHost.Tests;

/// <summary>
/// The distributed platform as <c>dotnet run --project deploy/Songjiang.AppHost</c> brings it up: PostgreSQL and RabbitMQ
/// as processes, every service and the gateway as their own processes, driven the way a client would through the gateway.
/// </summary>
[Collection(DistributedPlatformCollection.Name)]
public sealed class AppHostTests(DistributedPlatform platform)
{
    [Fact]
    public async Task An_enterprise_signs_in_and_reads_its_profile_through_the_gateway_of_the_distributed_platform()
    {
        var driver = new GatewayDriver(platform.Gateway);

        var profile = await driver.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/enterprises/me",
            ct: TestContext.Current.CancellationToken);

        Assert.Equal(GatewayDriver.Zhisuan, profile.GetProperty("uscc").GetString());
        using var health = await platform.Gateway.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
