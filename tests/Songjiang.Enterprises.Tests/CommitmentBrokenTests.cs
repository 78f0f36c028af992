using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Enterprises.Tests;

/// <summary>The cases service's post-approval verification finds a commitment (告知承诺) broken: one credit record per application.</summary>
public sealed class CommitmentBrokenTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string G60Bio = "91310117MA1H8BXR2W";

    [Fact]
    public async Task A_broken_commitment_downgrades_the_rating_once_however_often_it_is_announced()
    {
        var caseworker = await platform.UserTokenAsync("scj-reviewer");
        Assert.Equal("A", (await CreditAsync(caseworker)).GetProperty("rating").GetString());
        var first = Broken(Guid.NewGuid(), "SJ20261128-000777", "承诺的经营场所面积与实际不符");
        var again = first with { Id = Guid.CreateVersion7() };   // the same finding announced again

        await PublishAsync(first, first, again);
        await HandledAsync(first.Id, again.Id);

        var credit = await CreditAsync(caseworker);
        Assert.Equal("B", credit.GetProperty("rating").GetString());
        Assert.Equal(80, credit.GetProperty("score").GetInt32());
        Assert.True(credit.GetProperty("commitmentApprovalAllowed").GetBoolean());
        var record = Assert.Single(credit.GetProperty("records").EnumerateArray());
        Assert.Equal("BrokenCommitment", record.GetProperty("kind").GetString());
        Assert.Equal("SJ20261128-000777", record.GetProperty("reference").GetString());
        Assert.Equal("scj-reviewer-1", record.GetProperty("recordedBy").GetString());
        Assert.Contains("承诺的经营场所面积与实际不符", record.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Audited like any credit change: one timeline entry naming who verified.
        using var timeline = await platform.GetAsync($"/api/enterprises/{G60Bio}/timeline", caseworker);
        var entries = (await PlatformFixture.JsonOf(timeline)).EnumerateArray().Where(e => e.GetProperty("action").GetString() == "credit-recorded").ToList();
        var entry = Assert.Single(entries);
        Assert.Equal("scj-reviewer-1", entry.GetProperty("actor").GetString());
        Assert.Contains("A → B", entry.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // A second application's broken commitment costs another grade and bars commitment-based approval.
        var second = Broken(Guid.NewGuid(), "SJ20261128-000778", null);
        await PublishAsync(second, second);
        await HandledAsync(second.Id);
        var after = await CreditAsync(caseworker);
        Assert.Equal("C", after.GetProperty("rating").GetString());
        Assert.Equal(2, after.GetProperty("records").GetArrayLength());
        using var eligibility = await platform.GetAsync($"/api/enterprises/{G60Bio}/credit/commitment-eligibility", caseworker);
        Assert.False((await PlatformFixture.JsonOf(eligibility)).GetProperty("eligible").GetBoolean());
    }

    [Fact]
    public async Task A_broken_commitment_of_an_applicant_unknown_here_records_nothing()
    {
        var stranger = Broken(Guid.NewGuid(), "SJ20261128-000779", "无此企业") with { ApplicantUscc = "91330402MA2JD3UK9N" };

        await PublishAsync(stranger);
        await HandledAsync(stranger.Id);

        await using var scope = platform.Host.Application("enterprises").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EnterprisesDbContext>();
        Assert.False(await db.CreditRecords.AnyAsync(r => r.Reference == "SJ20261128-000779"));
        Assert.False(await db.CommitmentBreaches.AnyAsync(b => b.ApplicationId == stranger.ApplicationId));
    }

    private static CommitmentBrokenIntegrationEvent Broken(Guid applicationId, string number, string? note) =>
        new(applicationId, number, "SJ-SCJ-004", "食品经营许可", G60Bio, "scj-reviewer-1", note);

    private async Task PublishAsync(params IntegrationEvent[] events)
    {
        var bus = platform.Host.Application("catalog").Services.GetRequiredService<IEventBus>();
        foreach (var evt in events)
        {
            await bus.PublishAsync(evt);
        }
    }

    // The enterprises service's inbox records each event its handler has had its effect for.
    private async Task HandledAsync(params Guid[] eventIds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var eventId in eventIds)
        {
            var id = eventId.ToString();
            while (true)
            {
                await using var scope = platform.Host.Application("enterprises").Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<EnterprisesDbContext>();
                if (await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM eventbus_inbox WHERE event_id = {id}").SingleAsync() > 0)
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"Event {eventId} was not handled in time.");
                await Task.Delay(100);
            }
        }
    }

    private async Task<JsonElement> CreditAsync(string token)
    {
        using var response = await platform.GetAsync($"/api/enterprises/{G60Bio}/credit", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await PlatformFixture.JsonOf(response);
    }
}
