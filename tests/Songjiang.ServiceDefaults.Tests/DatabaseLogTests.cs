using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Songjiang.Persistence;

namespace Songjiang.ServiceDefaults.Tests;

public sealed class DatabaseLogTests
{
    [Fact]
    public async Task A_failed_save_that_the_service_handles_is_a_warning_not_an_error()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sj-log-{Guid.NewGuid():N}.db");
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var builder = new DbContextOptionsBuilder<CounterContext>().UseLoggerFactory(loggers);
        builder.UseServiceDatabase(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=false");
        var options = builder.Options;
        try
        {
            await using (var db = new CounterContext(options))
            {
                await db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
                db.Counters.Add(new Counter { Key = "sign-in:ent-zhisuan" });
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }

            // A second writer inserts the same key: the race a service catches and settles by counting on the first row.
            await using (var db = new CounterContext(options))
            {
                db.Counters.Add(new Counter { Key = "sign-in:ent-zhisuan" });
                await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
            }

            Assert.Contains(logs.Entries, e => e.EventId == RelationalEventId.CommandError.Id && e.Level == LogLevel.Warning);
            Assert.Contains(logs.Entries, e => e.EventId == CoreEventId.SaveChangesFailed.Id && e.Level == LogLevel.Warning);
            Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class CounterContext(DbContextOptions<CounterContext> options) : DbContext(options)
    {
        public DbSet<Counter> Counters => Set<Counter>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Counter>().HasKey(c => c.Key);
    }

    private sealed class Counter
    {
        public required string Key { get; init; }
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentBag<(int EventId, LogLevel Level)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Recorder(Entries);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentBag<(int EventId, LogLevel Level)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Add((eventId.Id, logLevel));
        }
    }
}
