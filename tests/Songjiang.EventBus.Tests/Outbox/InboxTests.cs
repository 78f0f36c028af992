using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Outbox;

/// <summary>
/// The inbox keys on the CloudEvent's identity (<c>source</c> + <c>id</c>), and holds when one event reaches two replicas at
/// the same moment, on PostgreSQL where they truly run in parallel.
/// </summary>
public sealed class InboxTests
{
    private const string Topic = "tests.sample-submitted.v1";

    [Fact]
    public async Task An_event_whose_data_has_no_id_delivered_twice_is_handled_once()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions($"consumer-{Guid.NewGuid():N}"[..20], new InMemoryFixture()));
        var dispatcher = app.Services.GetRequiredService<EventDispatcher>();
        var body = PartnerEnvelope(id: "330400-0001", source: "urn:g60:330400", reference: "SJ-NO-DATA-ID");

        await dispatcher.DispatchAsync(Topic, CloudEventFormat.Parse(body), CancellationToken.None);
        await dispatcher.DispatchAsync(Topic, CloudEventFormat.Parse(body), CancellationToken.None);

        Assert.Equal(1, await CountEffectsAsync(app, "SJ-NO-DATA-ID"));
    }

    [Fact]
    public async Task The_same_id_from_two_sources_is_two_events()
    {
        await using var app = await TestApp.StartAsync(new TestAppOptions($"consumer-{Guid.NewGuid():N}"[..20], new InMemoryFixture()));
        var dispatcher = app.Services.GetRequiredService<EventDispatcher>();

        await dispatcher.DispatchAsync(Topic, CloudEventFormat.Parse(PartnerEnvelope("0001", "urn:g60:330400", "SJ-TWO-SOURCES")), CancellationToken.None);
        await dispatcher.DispatchAsync(Topic, CloudEventFormat.Parse(PartnerEnvelope("0001", "urn:g60:320500", "SJ-TWO-SOURCES")), CancellationToken.None);

        Assert.Equal(2, await CountEffectsAsync(app, "SJ-TWO-SOURCES"));
    }

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

    /// <summary>A CloudEvent from a producer outside the platform: its own id scheme, and no <c>id</c> in its data.</summary>
    private static byte[] PartnerEnvelope(string id, string source, string reference) => System.Text.Encoding.UTF8.GetBytes(
        $$$"""
        {"specversion":"1.0","id":"{{{id}}}","source":"{{{source}}}","type":"{{{Topic}}}","datacontenttype":"application/json","data":{"reference":"{{{reference}}}"}}
        """);

    private static async Task<int> CountEffectsAsync(TestApp app, string reference)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TestDbContext>().Effects.CountAsync(e => e.Reference == reference);
    }
}
