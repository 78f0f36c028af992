using Microsoft.EntityFrameworkCore;

namespace Songjiang.Exchange.Api.Infrastructure;

/// <summary>The exchange service's own database. Its tables arrive with the features that own them.</summary>
public sealed class ExchangeDbContext(DbContextOptions<ExchangeDbContext> options) : DbContext(options);
