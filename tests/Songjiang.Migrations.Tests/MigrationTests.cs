using Microsoft.EntityFrameworkCore;
using Songjiang.Persistence;
using Songjiang.Persistence.Migrations;

namespace Songjiang.Migrations.Tests;

public sealed class MigrationTests
{
    public static TheoryData<string, DatabaseProvider> Contexts => ServiceContexts.All();

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_model_change_has_a_migration(string service, DatabaseProvider provider)
    {
        using var db = ServiceContexts.DesignTime(service, provider);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {service} model ({provider}) has changes without a migration: run scripts/add-migration.sh <Name>.");
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public async Task A_database_created_before_migrations_is_upgraded_in_place_with_its_data(string service, DatabaseProvider provider)
    {
        await using var database = TestDatabase.Create(service, provider);
        var filled = await PreMigrationDatabase.CreateAndFillAsync(service, provider, database.ConnectionString);
        Assert.NotEmpty(filled);

        await using var db = ServiceContexts.On(service, provider, database.ConnectionString);
        await DatabaseMigrations.MigrateAsync(db, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
        foreach (var row in filled)
        {
            Assert.True(await PreMigrationDatabase.ExistsAsync(db, row), $"Row of {row.Table} lost in the upgrade.");
        }
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public async Task Replicas_starting_together_migrate_once_and_seed_one_at_a_time(string service, DatabaseProvider provider)
    {
        await using var database = TestDatabase.Create(service, provider);
        var inside = 0;
        var overlapped = false;
        var seeded = 0;

        async Task Replica()
        {
            await using var db = ServiceContexts.On(service, provider, database.ConnectionString);
            await DatabaseMigrations.MigrateAsync(db, async ct =>
            {
                if (Interlocked.Increment(ref inside) > 1)
                {
                    overlapped = true;
                }
                await Task.Delay(200, ct);
                Interlocked.Increment(ref seeded);
                Interlocked.Decrement(ref inside);
            }, cancellationToken: TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(Replica)));

        Assert.False(overlapped, "Two replicas were inside the migration lock at once.");
        Assert.Equal(3, seeded);
        await using var check = ServiceContexts.On(service, provider, database.ConnectionString);
        var applied = (await check.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ToList();
        Assert.Equal(check.Database.GetMigrations(), applied);
        Assert.Equal(applied.Count, applied.Distinct().Count());
    }

    [Fact]
    public async Task A_replica_waits_for_another_replicas_migration_longer_than_its_command_timeout()
    {
        await using var database = TestDatabase.Create("licenses", DatabaseProvider.Postgres);
        // The second replica's two-second command timeout stands for the default thirty seconds on a machine busy enough to
        // pass them while the first migrates and seeds.
        var impatient = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 2 }.ConnectionString;
        var firstInside = new TaskCompletionSource();
        var ct = TestContext.Current.CancellationToken;

        async Task Replica(string connectionString, Func<CancellationToken, Task> seed)
        {
            await using var db = ServiceContexts.On("licenses", DatabaseProvider.Postgres, connectionString);
            await DatabaseMigrations.MigrateAsync(db, seed, cancellationToken: ct);
        }

        var first = Task.Run(() => Replica(database.ConnectionString, async token =>
        {
            firstInside.SetResult();
            await Task.Delay(TimeSpan.FromSeconds(6), token);
        }), ct);
        await firstInside.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
        var secondSeeded = false;
        var second = Task.Run(() => Replica(impatient, _ =>
        {
            secondSeeded = true;
            return Task.CompletedTask;
        }), ct);

        await Task.WhenAll(first, second);
        Assert.True(secondSeeded);
    }
}
