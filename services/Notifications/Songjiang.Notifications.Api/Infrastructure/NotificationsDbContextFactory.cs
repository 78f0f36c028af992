using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Persistence.Migrations;

namespace Songjiang.Notifications.Api.Infrastructure;

/// <summary>Builds the context for `dotnet ef` (scripts/add-migration.sh), per engine: `-- --provider Sqlite|Postgres`.</summary>
public sealed class NotificationsDbContextFactory : IDesignTimeDbContextFactory<NotificationsDbContext>
{
    /// <inheritdoc />
    public NotificationsDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<NotificationsDbContext>(args));
}
