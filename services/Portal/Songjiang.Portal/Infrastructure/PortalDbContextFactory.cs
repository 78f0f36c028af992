using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Persistence.Migrations;

namespace Songjiang.Portal.Infrastructure;

/// <summary>Builds the context for `dotnet ef` (scripts/add-migration.sh), per engine: `-- --provider Sqlite|Postgres`.</summary>
public sealed class PortalDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    /// <inheritdoc />
    public PortalDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<PortalDbContext>(args));
}
