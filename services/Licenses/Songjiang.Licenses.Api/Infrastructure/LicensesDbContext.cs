using Microsoft.EntityFrameworkCore;

namespace Songjiang.Licenses.Api.Infrastructure;

/// <summary>The licenses service's own database. Its tables arrive with the features that own them.</summary>
public sealed class LicensesDbContext(DbContextOptions<LicensesDbContext> options) : DbContext(options);
