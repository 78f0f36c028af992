using Microsoft.EntityFrameworkCore;

namespace Songjiang.Cases.Api.Infrastructure;

/// <summary>The cases service's own database. Its tables arrive with the features that own them.</summary>
public sealed class CasesDbContext(DbContextOptions<CasesDbContext> options) : DbContext(options);
