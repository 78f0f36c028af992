using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Songjiang.Workflows;

namespace Songjiang.Workflows.Benchmarks;

internal static class Database
{
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A runtime host on the benchmark database, configured as a service would configure it.</summary>
    public static ServiceProvider Host(string connectionString, IDictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connectionString));
        services.AddWorkflows<BenchDbContext>();
        services.AddScoped<IWorkflowEventPublisher, OutboxPublisher>();
        return services.BuildServiceProvider();
    }
}
