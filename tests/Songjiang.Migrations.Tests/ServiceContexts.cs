using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Catalog.Api.Infrastructure;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Identity.Api.Infrastructure;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.Persistence;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.Portal.Infrastructure;

namespace Songjiang.Migrations.Tests;

/// <summary>Every service's database context, made the way the services make them, on either engine.</summary>
public static class ServiceContexts
{
    private static readonly Dictionary<string, Func<string[], DbContext>> Factories = new()
    {
        ["identity"] = new IdentityDbContextFactory().CreateDbContext,
        ["catalog"] = new CatalogDbContextFactory().CreateDbContext,
        ["cases"] = new CasesDbContextFactory().CreateDbContext,
        ["licenses"] = new LicensesDbContextFactory().CreateDbContext,
        ["enterprises"] = new EnterprisesDbContextFactory().CreateDbContext,
        ["policyradar"] = new PolicyRadarDbContextFactory().CreateDbContext,
        ["exchange"] = new ExchangeDbContextFactory().CreateDbContext,
        ["notifications"] = new NotificationsDbContextFactory().CreateDbContext,
        ["portal"] = new PortalDbContextFactory().CreateDbContext,
    };

    /// <summary>Every service and engine.</summary>
    public static TheoryData<string, DatabaseProvider> All()
    {
        var data = new TheoryData<string, DatabaseProvider>();
        foreach (var name in Factories.Keys)
        {
            data.Add(name, DatabaseProvider.Sqlite);
            data.Add(name, DatabaseProvider.Postgres);
        }
        return data;
    }

    /// <summary>The service's context as its design-time factory makes it (no database contacted).</summary>
    public static DbContext DesignTime(string service, DatabaseProvider provider) =>
        Factories[service](["--provider", provider.ToString()]);

    /// <summary>The service's context on a real database, configured as the service configures it.</summary>
    public static DbContext On(string service, DatabaseProvider provider, string connectionString)
    {
        using var designTime = DesignTime(service, provider);
        var type = designTime.GetType();
        var optionsType = typeof(DbContextOptionsBuilder<>).MakeGenericType(type);
        var builder = (DbContextOptionsBuilder)Activator.CreateInstance(optionsType)!;
        builder.UseServiceDatabase(provider, connectionString);
        return (DbContext)Activator.CreateInstance(type, builder.Options)!;
    }
}
