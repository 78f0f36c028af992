using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Persistence.Migrations;

namespace Songjiang.Exchange.Api.Infrastructure;

/// <summary>Builds the context for `dotnet ef` (scripts/add-migration.sh), per engine: `-- --provider Sqlite|Postgres`.</summary>
public sealed class ExchangeDbContextFactory : IDesignTimeDbContextFactory<ExchangeDbContext>
{
    /// <inheritdoc />
    public ExchangeDbContext CreateDbContext(string[] args) => new(DesignTimeDatabase.Options<ExchangeDbContext>(args));
}
