using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Outbox;

/// <summary>The inbox when one event reaches two replicas at the same moment, on PostgreSQL where they truly run in parallel.</summary>
public sealed class InboxTests
{
    [Fact]
    public async Task Concurrent_deliveries_of_one_event_have_one_effect()
    {
        await using var database = TestDatabase.Postgres();
        await using var app = await TestApp.StartAsync(new TestAppOptions($"consumer-{Guid.NewGuid():N}"[..20], new InMemoryFixture())
        {
            Database = database,
        });
        var dispatcher = app.Services.GetRequiredService<EventDispatcher>();
        var evt = new SampleSubmittedIntegrationEvent("SJ-RACE");
        var envelope = CloudEventFormat.Parse(CloudEventFormat.Write(evt, "tests.sample-submitted.v1", "publisher", CloudEventFormat.TraceParentOf(null), null));

        var deliveries = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            try
            {
                await dispatcher.DispatchAsync("tests.sample-submitted.v1", envelope, CancellationToken.None);
                return true;
            }
            catch (DbUpdateException)
            {
                // Lost the race on the inbox key: rolled back, and the transport would retry it.
                return false;
            }
        }));

        Assert.Contains(true, deliveries);
        Assert.Equal(1, await app.CountEffectsAsync(evt.Id));
    }
}
