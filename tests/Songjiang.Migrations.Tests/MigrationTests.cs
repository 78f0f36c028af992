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
}
