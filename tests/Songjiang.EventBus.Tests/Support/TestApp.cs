using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>What a test app is made of; replicas of one application share <see cref="AppId"/>, database and script.</summary>
public sealed record TestAppOptions(string AppId, TransportFixture Transport)
{
    public bool Subscribes { get; init; } = true;

    /// <summary>Shared by replicas when given (the test disposes it); otherwise the app gets its own SQLite file.</summary>
    public TestDatabase? Database { get; init; }

    public HandlerScript Script { get; init; } = new();

    public Dictionary<string, string?> Settings { get; init; } = [];

    public Action<WebApplicationBuilder>? Configure { get; init; }

    public Action<WebApplication>? Map { get; init; }
}

/// <summary>A service host with the event bus, its own database, the sample handler, the inbox and the outbox.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;

    private TestApp(WebApplication app, TestAppOptions options, TestDatabase database)
    {
        App = app;
        Options = options;
        _database = database;
        _ownsDatabase = options.Database is null;
    }

    public WebApplication App { get; }

    public TestAppOptions Options { get; }

    public HandlerScript Script => Options.Script;

    public IServiceProvider Services => App.Services;

    public Uri Address => new(App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public static async Task<TestApp> StartAsync(TestAppOptions options, Func<TestApp, Task>? beforeStart = null)
    {
        var database = options.Database ?? TestDatabase.Sqlite();
        var app = Build(options, database);
        var testApp = new TestApp(app, options, database);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await database.CreateAsync(scope.ServiceProvider.GetRequiredService<TestDbContext>());
        }

        if (beforeStart is not null)
        {
            await beforeStart(testApp);
        }

        await app.StartAsync(TestContext.Current.CancellationToken);
        await options.Transport.OnStartedAsync(testApp);
        return testApp;
    }

    /// <summary>Commits <paramref name="evt"/> through the outbox, as a service does with its state change.</summary>
    public async Task CommitAsync(IntegrationEvent evt)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        scope.ServiceProvider.GetRequiredService<IOutbox<TestDbContext>>().Add(evt);
        await db.SaveChangesAsync();
    }

    /// <summary>The outbox row of <paramref name="eventId"/>, as the database has it now.</summary>
    internal async Task<OutboxMessage> OutboxRowAsync(Guid eventId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TestDbContext>()
            .Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == eventId);
    }

    /// <summary>Waits until the handler's effect for <paramref name="eventId"/> is committed, then returns how many there are.</summary>
    public async Task<int> CommittedEffectsAsync(Guid eventId)
    {
        await Eventually.HoldsAsync(async () => await CountEffectsAsync(eventId) > 0, TimeSpan.FromSeconds(20), $"the effect of {eventId} is committed");
        return await CountEffectsAsync(eventId);
    }

    public async Task<int> CountEffectsAsync(Guid eventId)
    {
        await using var scope = Services.CreateAsyncScope();
        var id = eventId.ToString();
        return await scope.ServiceProvider.GetRequiredService<TestDbContext>().Effects.CountAsync(e => e.EventId == id);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }

    private static WebApplication Build(TestAppOptions options, TestDatabase database)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("SONGJIANG_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().AddFilter("Microsoft", LogLevel.Warning);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:AppId"] = options.AppId,
            ["EventBus:MaxRetries"] = "2",
            ["EventBus:RetryBaseDelay"] = "00:00:00.020",
            ["EventBus:RetryMaxDelay"] = "00:00:00.200",
            ["EventBus:Prefetch"] = "8",
            ["EventBus:Outbox:PollInterval"] = "00:00:00.200",
        });
        builder.Configuration.AddInMemoryCollection(options.Transport.Settings());
        builder.Configuration.AddInMemoryCollection(options.Settings);

        builder.Services.AddSingleton(options.Script);
        builder.Services.AddDbContext<TestDbContext>(database.Configure);
        options.Transport.ConfigureServices(builder.Services);

        var bus = builder.AddEventBus();
        if (options.Subscribes)
        {
            bus.AddSubscription<SampleSubmittedIntegrationEvent, SampleHandler>();
        }

        bus.UseInbox<TestDbContext>().UseOutbox<TestDbContext>();
        options.Configure?.Invoke(builder);

        var app = builder.Build();
        options.Map?.Invoke(app);
        return app;
    }
}
