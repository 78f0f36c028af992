using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Persistence.Migrations;

namespace Songjiang.Enterprises.Api.Infrastructure;

/// <summary>Builds the context for `dotnet ef` (scripts/add-migration.sh), per engine: `-- --provider Sqlite|Postgres`.</summary>
public sealed class EnterprisesDbContextFactory : IDesignTimeDbContextFactory<EnterprisesDbContext>
{
    /// <inheritdoc />
    public EnterprisesDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<EnterprisesDbContext>(args));
}
