using Microsoft.EntityFrameworkCore;

namespace Songjiang.Enterprises.Api.Infrastructure;

/// <summary>The enterprises service's own database. Its tables arrive with the features that own them.</summary>
public sealed class EnterprisesDbContext(DbContextOptions<EnterprisesDbContext> options) : DbContext(options);
