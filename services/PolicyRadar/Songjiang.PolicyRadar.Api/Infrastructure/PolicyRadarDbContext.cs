using Microsoft.EntityFrameworkCore;

namespace Songjiang.PolicyRadar.Api.Infrastructure;

/// <summary>The policyradar service's own database. Its tables arrive with the features that own them.</summary>
public sealed class PolicyRadarDbContext(DbContextOptions<PolicyRadarDbContext> options) : DbContext(options);
