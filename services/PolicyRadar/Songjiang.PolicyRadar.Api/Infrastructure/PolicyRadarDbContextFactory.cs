using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Persistence.Migrations;

namespace Songjiang.PolicyRadar.Api.Infrastructure;

/// <summary>Builds the context for `dotnet ef` (scripts/add-migration.sh), per engine: `-- --provider Sqlite|Postgres`.</summary>
public sealed class PolicyRadarDbContextFactory : IDesignTimeDbContextFactory<PolicyRadarDbContext>
{
    /// <inheritdoc />
    public PolicyRadarDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<PolicyRadarDbContext>(args));
}
