using Microsoft.EntityFrameworkCore;

namespace Songjiang.Catalog.Api.Infrastructure;

/// <summary>The catalog service's own database. Its tables arrive with the features that own them.</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options);
