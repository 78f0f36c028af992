using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Persistence.Migrations;

namespace Songjiang.Cases.Api.Infrastructure;

/// <summary>Builds the context for `dotnet ef` (scripts/add-migration.sh), per engine: `-- --provider Sqlite|Postgres`.</summary>
public sealed class CasesDbContextFactory : IDesignTimeDbContextFactory<CasesDbContext>
{
    /// <inheritdoc />
    public CasesDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<CasesDbContext>(args));
}
