using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Persistence.Migrations;

namespace Songjiang.Licenses.Api.Infrastructure;

/// <summary>Builds the context for `dotnet ef` (scripts/add-migration.sh), per engine: `-- --provider Sqlite|Postgres`.</summary>
public sealed class LicensesDbContextFactory : IDesignTimeDbContextFactory<LicensesDbContext>
{
    /// <inheritdoc />
    public LicensesDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<LicensesDbContext>(args));
}
