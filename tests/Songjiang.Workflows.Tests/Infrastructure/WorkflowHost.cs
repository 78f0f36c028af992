using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Songjiang.Workflows.Tests.Infrastructure;

/// <summary>One runtime host (a service replica) on a shared database; disposing it is "killing the process".</summary>
public sealed class WorkflowHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public WorkflowHost(TestDatabase database, TimeProvider time, IWorkflowStepObserver? observer = null, IWorkflowListener? listener = null)
    {
        Database = database;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Workflows:RunTimerWorker"] = "false" }).Build());
        services.AddDbContext<TestDbContext>(database.Configure);
        services.AddSingleton(time);
        services.AddWorkflows<TestDbContext>();
        services.AddScoped<IWorkflowEventPublisher, TestOutboxPublisher>();
        if (observer is not null) services.AddSingleton(observer);
        if (listener is not null) services.AddSingleton(listener);
        _services = services.BuildServiceProvider(validateScopes: true);
        Runtime = _services.GetRequiredService<IWorkflowRuntime>();
    }

    public TestDatabase Database { get; }
    public IWorkflowRuntime Runtime { get; }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>A database, a fake clock at a fixed working-day morning in Shanghai, and one host.</summary>
public sealed class WorkflowFixture : IAsyncDisposable
{
    private WorkflowFixture(TestDatabase database, FakeTimeProvider time, WorkflowHost host)
    {
        Database = database;
        Time = time;
        Host = host;
    }

    public TestDatabase Database { get; }
    public FakeTimeProvider Time { get; }
    public WorkflowHost Host { get; private set; }
    public IWorkflowRuntime Runtime => Host.Runtime;

    /// <summary>Tuesday 2025-09-02 09:00 Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2025, 9, 2, 9, 0, 0, TimeSpan.FromHours(8));

    public static async Task<WorkflowFixture> CreateAsync(Provider provider = Provider.Sqlite, params string[] definitions)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var time = new FakeTimeProvider(Start);
        var host = new WorkflowHost(database, time);
        foreach (var definition in definitions) await host.Runtime.PublishDefinitionAsync(definition);
        return new WorkflowFixture(database, time, host);
    }

    /// <summary>Kills the host and starts a new one on the same database (optionally with an observer).</summary>
    public async Task RestartAsync(IWorkflowStepObserver? observer = null)
    {
        await Host.DisposeAsync();
        Host = new WorkflowHost(Database, Time, observer);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
