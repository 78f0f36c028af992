using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Songjiang.AppHost.Tests;

/// <summary>
/// The distributed platform as <c>dotnet run --project deploy/Songjiang.AppHost</c> brings it up: PostgreSQL and RabbitMQ
/// as processes, every service and the gateway as their own processes, driven the way a client would through the gateway.
/// </summary>
public sealed class AppHostTests
{
    /// <summary>Eight .NET processes, PostgreSQL and RabbitMQ starting on a shared two-core machine take minutes, not seconds.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(12);

    [Fact]
    public async Task An_enterprise_signs_in_and_reads_its_profile_through_the_gateway_of_the_distributed_platform()
    {
        var state = Directory.CreateTempSubdirectory("sj-apphost-");
        // Created private to this user; PostgreSQL runs as its own account when the tests run as root, and must reach its folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(state.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Songjiang_AppHost>(
                [$"--Platform:StateDirectory={state.FullName}"],
                (options, _) => options.DisableDashboard = true,
                TestContext.Current.CancellationToken);
            await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
            using var starting = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            starting.CancelAfter(StartTimeout);
            await app.StartAsync(starting.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", starting.Token);
            using var gateway = app.CreateHttpClient("gateway");
            gateway.Timeout = TimeSpan.FromMinutes(2);

            using var tokenResponse = await gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = "songjiang-cli",
                ["username"] = "ent-zhisuan",
                ["password"] = "Songjiang@2026",
                ["scope"] = "openid profile api",
            }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
            var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("access_token").GetString();

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/enterprises/me") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var profile = await gateway.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            Assert.Contains("91310117MA1J3GKL0Q", await profile.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            using var health = await gateway.GetAsync("/health", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            await app.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            try
            {
                state.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A server may still be closing its files; the folder is in the temporary directory.
            }
        }
    }
}
