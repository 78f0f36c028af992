using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Songjiang.Persistence.Migrations;

/// <summary>
/// The migrations of one database engine: a service keeps one set per engine in the same assembly, under
/// <c>…Migrations.Sqlite</c> and <c>…Migrations.Postgres</c>, and this picks the set (and its model snapshot) of the
/// engine the context runs on. EF Core's own lookup would take the first snapshot it finds, whichever engine it is for.
/// </summary>
internal sealed class ProviderMigrationsAssembly : IMigrationsAssembly
{
    private readonly Type _contextType;
    private readonly string _namespaceSuffix;
    private readonly Lazy<IReadOnlyDictionary<string, TypeInfo>> _migrations;
    private readonly Lazy<ModelSnapshot?> _snapshot;

    public ProviderMigrationsAssembly(ICurrentDbContext currentContext)
    {
        var context = currentContext.Context;
        _contextType = context.GetType();
        Assembly = _contextType.Assembly;
        _namespaceSuffix = MigrationSets.NamespaceSuffix(context.Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite);
        _migrations = new(FindMigrations);
        _snapshot = new(FindSnapshot);
    }

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations.Value;

    public ModelSnapshot? ModelSnapshot => _snapshot.Value;

    public Assembly Assembly { get; }

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.Where(id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
                || string.Equals(id.Length > 15 ? id[15..] : id, nameOrId, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault();

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private bool IsOurs(TypeInfo type) =>
        type.GetCustomAttribute<DbContextAttribute>()?.ContextType == _contextType
        && type.Namespace is { } ns && ns.EndsWith(_namespaceSuffix, StringComparison.Ordinal);

    private IReadOnlyDictionary<string, TypeInfo> FindMigrations()
    {
        var found = new SortedList<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var type in Assembly.DefinedTypes.Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(Migration)) && IsOurs(t)))
        {
            var id = type.GetCustomAttribute<MigrationAttribute>()?.Id;
            if (id is not null)
            {
                found.Add(id, type);
            }
        }
        return found;
    }

    private ModelSnapshot? FindSnapshot() =>
        Assembly.DefinedTypes
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(ModelSnapshot)) && IsOurs(t))
            .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!)
            .FirstOrDefault();
}

/// <summary>Where a service keeps the migrations of each database engine.</summary>
public static class MigrationSets
{
    /// <summary>The namespace (and folder) suffix of an engine's migrations, e.g. <c>.Migrations.Postgres</c>.</summary>
    public static string NamespaceSuffix(DatabaseProvider provider) => ".Migrations." + provider;
}
